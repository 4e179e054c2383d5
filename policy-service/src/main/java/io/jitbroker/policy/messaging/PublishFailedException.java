package io.jitbroker.policy.messaging;

/**
 * A record and its source offset could not be committed together. Nothing of the attempt is
 * visible to read_committed consumers, so the source record is retried.
 */
public final class PublishFailedException extends RuntimeException {

    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
