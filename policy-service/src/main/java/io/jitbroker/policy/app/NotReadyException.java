package io.jitbroker.policy.app;

/** This instance has not caught up with jit.policies.v1 yet, so it cannot tell what is running. */
public final class NotReadyException extends BundleException {

    public NotReadyException(String message) {
        super(message, null);
    }
}
