package io.jitbroker.policy.app;

/**
 * Why a bundle operation did not happen: the document is invalid, its version is taken, the
 * instance is not ready, or Kafka did not take the record. The API answers each in its own way.
 */
public abstract sealed class BundleException extends RuntimeException
        permits InvalidBundleException, VersionConflictException, NotReadyException, WriteFailedException {

    BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
