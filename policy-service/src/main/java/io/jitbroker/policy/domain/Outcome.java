package io.jitbroker.policy.domain;

/** The answer to an access request. */
public enum Outcome {
    APPROVED,
    DENIED
}
