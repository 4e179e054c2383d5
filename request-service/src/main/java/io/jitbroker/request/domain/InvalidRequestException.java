package io.jitbroker.request.domain;

/** A request (body, path or header) that breaks a rule; names the offending field. */
public final class InvalidRequestException extends RuntimeException {

    private final String field;

    public InvalidRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The field at fault, e.g. {@code ttlSeconds} or {@code resources[2].actions}. */
    public String field() {
        return field;
    }
}
