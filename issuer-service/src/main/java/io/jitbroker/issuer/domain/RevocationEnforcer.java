package io.jitbroker.issuer.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Enforces a revocation: the grant is marked revoked (the durable deny-list entry that introspection
 * reads), then the moment of enforcement is recorded. Both writes are conditional, so a redelivered
 * revocation changes nothing and one interrupted between the two writes is completed on redelivery.
 */
public final class RevocationEnforcer {

    public enum Outcome {
        /** This call made the revocation effective (or completed an interrupted one). */
        ENFORCED,
        /** The grant was already revoked and enforced: nothing changed. */
        ALREADY_ENFORCED,
        /** No such grant here: nothing to deny. */
        UNKNOWN_GRANT
    }

    private final GrantStore store;
    private final Clock clock;

    public RevocationEnforcer(GrantStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Outcome enforce(UUID grantId, String reason, String detail, Instant revokedAt) {
        if (store.findById(grantId).isEmpty()) {
            return Outcome.UNKNOWN_GRANT;
        }
        store.markRevoked(grantId, reason, detail, revokedAt);
        // Only once the revoked row is committed is the deny-list entry durable: enforced_at says when.
        boolean enforcedNow = store.markEnforced(grantId, clock.instant());
        return enforcedNow ? Outcome.ENFORCED : Outcome.ALREADY_ENFORCED;
    }
}
