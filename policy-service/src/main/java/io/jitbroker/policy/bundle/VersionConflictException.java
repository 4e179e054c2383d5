package io.jitbroker.policy.bundle;

/** A submitted version is already running with another document: a version names one document forever. */
public final class VersionConflictException extends RuntimeException {

    VersionConflictException(String message) {
        super(message);
    }
}
