package io.jitbroker.issuer.domain;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Enforces a revocation where the credential is checked. The grant is first marked revoked: the
 * durable deny-list entry that introspection and pickup read. For a JWT that is the enforcement; for a
 * database login the role must also be dropped at its target, and only then is the revocation
 * enforced. Every write is conditional, so a redelivered revocation changes nothing and one
 * interrupted between two writes is completed on redelivery (or, for a login, by the next attempt).
 * The enforcement returned is always read back from the store, so every announcement of it is identical.
 */
public final class RevocationEnforcer {

    public enum Outcome {
        /** This call made the revocation effective (or completed an interrupted one). */
        ENFORCED,
        /** The grant was already revoked and enforced: nothing changed. */
        ALREADY_ENFORCED,
        /**
         * Revoked here (no pickup any more) but the login could not be dropped at its target yet; to be
         * attempted again. The role still dies at VALID UNTIL.
         */
        PENDING,
        /** No such grant here: nothing to deny, nothing to announce. */
        UNKNOWN_GRANT
    }

    /**
     * @param enforcement the enforcement as recorded; null unless ENFORCED or ALREADY_ENFORCED
     * @param grant       the grant as revoked; null only for {@link Outcome#UNKNOWN_GRANT}
     * @param failure     why the target could not drop the login, for {@link Outcome#PENDING}
     */
    public record Result(Outcome outcome, Enforcement enforcement, Grant grant, String failure) {
    }

    private final GrantStore store;
    private final PostgresRoles postgres;
    private final Clock clock;

    public RevocationEnforcer(GrantStore store, PostgresRoles postgres, Clock clock) {
        this.store = store;
        this.postgres = postgres;
        this.clock = clock;
    }

    public Result enforce(UUID grantId, String reason, String detail, Instant revokedAt) {
        if (store.findById(grantId).isEmpty()) {
            return new Result(Outcome.UNKNOWN_GRANT, null, null, null);
        }
        store.markRevoked(grantId, reason, detail, revokedAt);
        Grant revoked = reread(grantId);
        if (revoked.isPostgres()) {
            return revoked.enforcedAt() != null
                    ? new Result(Outcome.ALREADY_ENFORCED, Enforcement.recordedOn(revoked), revoked, null)
                    : dropLogin(revoked);
        }
        // Only once the revoked row is committed is the deny-list entry durable: enforced_at says when.
        return recordEnforcement(grantId);
    }

    /**
     * One attempt to drop the login of a revoked postgres grant at its target; on success the
     * revocation is enforced.
     */
    public Result dropLogin(Grant revoked) {
        PostgresAccess access = revoked.postgresAccess();
        try {
            postgres.drop(access.target(), revoked.credentialName());
        } catch (PostgresRoles.PostgresTargetException e) {
            return new Result(Outcome.PENDING, null, revoked, e.getMessage());
        }
        return recordEnforcement(revoked.grantId());
    }

    /** Revoked postgres grants whose logins are not dropped yet, for another attempt. */
    public List<Grant> pendingLogins(int limit) {
        return store.findUnenforcedRevocations(PostgresAccess.CREDENTIAL_TYPE, limit);
    }

    /**
     * Postgres enforcements recorded before {@code before} and never announced (an instance stopped in
     * between), to announce now.
     */
    public List<Enforcement> unannouncedLogins(Instant before, int limit) {
        return store.findUnannouncedEnforcements(PostgresAccess.CREDENTIAL_TYPE, before, limit).stream()
                .map(Enforcement::recordedOn)
                .toList();
    }

    /** The broker acknowledged the RevocationEnforced of this grant. */
    public void announced(UUID grantId) {
        store.markAnnounced(grantId, clock.instant());
    }

    private Result recordEnforcement(UUID grantId) {
        boolean enforcedNow = store.markEnforced(grantId, ceilingToMillis(clock.instant()));
        Grant enforced = reread(grantId);
        return new Result(enforcedNow ? Outcome.ENFORCED : Outcome.ALREADY_ENFORCED, Enforcement.recordedOn(enforced),
                enforced, null);
    }

    private Grant reread(UUID grantId) {
        return store.findById(grantId).orElseThrow(() ->
                new IllegalStateException("grant " + grantId + " disappeared while its revocation was enforced"));
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
