package io.jitbroker.request.domain;

/**
 * Where an access request stands. Statuses only move forward: PENDING, then PENDING_APPROVAL when
 * an SRE must decide, then APPROVED (the grant is on its way) or DENIED, then ISSUED, then REVOKED.
 * DENIED and ISSUED share a rank, so neither replaces the other.
 */
public enum LedgerStatus {
    PENDING(0), PENDING_APPROVAL(1), APPROVED(2), DENIED(3), ISSUED(3), REVOKED(4);

    private final int rank;

    LedgerStatus(int rank) {
        this.rank = rank;
    }

    /** The status a decision with this outcome leads to. */
    public static LedgerStatus after(DecisionOutcome outcome) {
        return switch (outcome) {
            case PENDING_APPROVAL -> PENDING_APPROVAL;
            case APPROVED -> APPROVED;
            case DENIED -> DENIED;
        };
    }

    /**
     * Whether the request is still on its way to an answer a workload acts on: decided and issued
     * follow without anyone's help (PENDING, APPROVED). Every other status waits for nothing or for
     * a human (PENDING_APPROVAL).
     */
    public boolean onItsWay() {
        return this == PENDING || this == APPROVED;
    }

    /** The later of this status and {@code next}; a late or replayed event never moves a request back. */
    public LedgerStatus advanceTo(LedgerStatus next) {
        return next.rank > rank ? next : this;
    }
}
