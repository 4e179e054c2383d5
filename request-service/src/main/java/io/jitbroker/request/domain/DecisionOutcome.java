package io.jitbroker.request.domain;

/**
 * Policy's answer to an access request. PENDING_APPROVAL waits for an SRE: the approval (or its
 * deadline passing) produces a second, final decision, APPROVED or DENIED.
 */
public enum DecisionOutcome {
    APPROVED, DENIED, PENDING_APPROVAL;

    /** APPROVED and DENIED close the decision; PENDING_APPROVAL does not. */
    public boolean isFinal() {
        return this != PENDING_APPROVAL;
    }
}
