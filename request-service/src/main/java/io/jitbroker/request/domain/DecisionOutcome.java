package io.jitbroker.request.domain;

/** Policy's answer to an access request. */
public enum DecisionOutcome {
    APPROVED, DENIED
}
