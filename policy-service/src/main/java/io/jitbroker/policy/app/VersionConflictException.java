package io.jitbroker.policy.app;

/** A submitted version is already running with another document: a version names one document forever. */
public final class VersionConflictException extends BundleException {

    VersionConflictException(String message) {
        super(message, null);
    }
}
