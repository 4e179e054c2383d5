package io.jitbroker.policy.domain;

/** The answer to an access request. */
public enum Outcome {
    /** Granted now: the scope and TTL of the decision. */
    APPROVED,
    /** Would grant its scope and TTL once a human approves (a rule with requireApproval granted part of it). */
    PENDING_APPROVAL,
    /** Nothing granted; the decision names a deny code and the reasons. */
    DENIED
}
