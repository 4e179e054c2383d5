package io.jitbroker.policy.domain;

/** A policy that cannot be trusted to mean what its author meant; the service refuses to start with it. */
public final class InvalidPolicyException extends RuntimeException {

    public InvalidPolicyException(String message) {
        super(message);
    }

    public InvalidPolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
