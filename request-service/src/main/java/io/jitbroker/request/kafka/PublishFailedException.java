package io.jitbroker.request.kafka;

/** Kafka did not take a record; whatever depended on it must be undone or retried. */
public final class PublishFailedException extends RuntimeException {

    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
