package io.jitbroker.policy.app;

/** A record was not acknowledged by Kafka (acks=all) in time; it may or may not have been written. */
public final class WriteFailedException extends BundleException {

    public WriteFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
