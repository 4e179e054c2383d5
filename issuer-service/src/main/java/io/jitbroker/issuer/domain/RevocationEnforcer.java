package io.jitbroker.issuer.domain;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Enforces a revocation: the grant is marked revoked (the durable deny-list entry that introspection
 * reads), then the moment of enforcement is recorded. Both writes are conditional, so a redelivered
 * revocation changes nothing and one interrupted between the two writes is completed on redelivery.
 * The enforcement returned is always read back from the store, so a redelivery reports the same
 * enforcedAt as the first delivery.
 */
public final class RevocationEnforcer {

    public enum Outcome {
        /** This call made the revocation effective (or completed an interrupted one). */
        ENFORCED,
        /** The grant was already revoked and enforced: nothing changed. */
        ALREADY_ENFORCED,
        /** No such grant here: nothing to deny, nothing to announce. */
        UNKNOWN_GRANT
    }

    /**
     * @param enforcement the enforcement as recorded; null only for {@link Outcome#UNKNOWN_GRANT}
     */
    public record Result(Outcome outcome, Enforcement enforcement) {
    }

    private final GrantStore store;
    private final Clock clock;

    public RevocationEnforcer(GrantStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Result enforce(UUID grantId, String reason, String detail, Instant revokedAt) {
        if (store.findById(grantId).isEmpty()) {
            return new Result(Outcome.UNKNOWN_GRANT, null);
        }
        store.markRevoked(grantId, reason, detail, revokedAt);
        // Only once the revoked row is committed is the deny-list entry durable: enforced_at says when.
        boolean enforcedNow = store.markEnforced(grantId, ceilingToMillis(clock.instant()));
        Grant enforced = store.findById(grantId).orElseThrow(() ->
                new IllegalStateException("grant " + grantId + " disappeared while its revocation was enforced"));
        return new Result(enforcedNow ? Outcome.ENFORCED : Outcome.ALREADY_ENFORCED, Enforcement.onJwtDenylist(enforced));
    }

    /**
     * Events carry milliseconds; stored at that precision, the row and every announcement agree
     * exactly. Rounded up, never down, so enforcedAt is never earlier than the entry was durable.
     */
    private static Instant ceilingToMillis(Instant instant) {
        Instant truncated = instant.truncatedTo(ChronoUnit.MILLIS);
        return truncated.equals(instant) ? truncated : truncated.plusMillis(1);
    }
}
