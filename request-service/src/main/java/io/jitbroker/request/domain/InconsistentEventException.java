package io.jitbroker.request.domain;

/** An event that contradicts the ledger (e.g. names another workload); it is not applied. */
public final class InconsistentEventException extends RuntimeException {

    public InconsistentEventException(String message) {
        super(message);
    }
}
