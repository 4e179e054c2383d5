package io.jitbroker.policy.bundle;

/** A record was not acknowledged by Kafka (acks=all) in time; it may or may not have been written. */
public final class WriteFailedException extends BundleException {

    WriteFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
