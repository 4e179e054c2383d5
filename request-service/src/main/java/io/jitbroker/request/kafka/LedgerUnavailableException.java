package io.jitbroker.request.kafka;

/** The ledger could not be written (e.g. the database is down); the record is retried, then dead-lettered. */
public final class LedgerUnavailableException extends RuntimeException {

    public LedgerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
