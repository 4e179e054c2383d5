package io.jitbroker.request.kafka;

/**
 * An event names a request the ledger has not stored. Retried a few times first: the request's
 * row commits just after its event is published, so a fast decision can overtake it.
 */
public final class RequestNotInLedgerException extends RuntimeException {

    public RequestNotInLedgerException(String requestId, String topic) {
        super("request " + requestId + " named on " + topic + " is not in the ledger");
    }
}
