package io.jitbroker.request.domain;

/**
 * Where an access request stands. Statuses only move forward: PENDING, then DENIED or ISSUED
 * (same rank, so neither replaces the other), then REVOKED.
 */
public enum LedgerStatus {
    PENDING(0), DENIED(1), ISSUED(1), REVOKED(2);

    private final int rank;

    LedgerStatus(int rank) {
        this.rank = rank;
    }

    /** The later of this status and {@code next}; a late or replayed event never moves a request back. */
    public LedgerStatus advanceTo(LedgerStatus next) {
        return next.rank > rank ? next : this;
    }
}
