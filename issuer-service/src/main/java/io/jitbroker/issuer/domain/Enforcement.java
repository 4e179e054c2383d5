package io.jitbroker.issuer.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A revocation made true where a credential is checked, as recorded: what RevocationEnforced
 * announces. It is read back from the stored grant, never from the moment of the call, so every
 * announcement of the same enforcement (a redelivered revocation, a retried send) is identical.
 *
 * @param credentialId how events name the credential ({@link Grant#credentialName()})
 * @param reason     the revocation reason as first recorded (a RevocationReason name)
 * @param backend    where the credential is now refused: {@link #JWT_DENYLIST} for this service's JWTs,
 *                   {@code postgres:<target>} for a database login
 * @param revokedAt  when revocation-service decided (the Revocation's revokedAt, as first recorded)
 * @param enforcedAt when the revocation was durable where it is enforced: the deny-list row committed,
 *                   or the login role dropped
 */
public record Enforcement(UUID grantId, String requestId, String workloadId, String credentialId, String reason,
                          String backend, Instant revokedAt, Instant enforcedAt) {

    /**
     * The revoked grant rows introspection reads: a credential whose grant is revoked there is
     * reported inactive from enforcedAt on.
     */
    public static final String JWT_DENYLIST = "jwt-denylist";

    public Enforcement {
        Objects.requireNonNull(grantId, "grantId");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(workloadId, "workloadId");
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(enforcedAt, "enforcedAt");
    }

    /** The enforcement recorded on a revoked grant's row, at the backend of its credential type. */
    static Enforcement recordedOn(Grant grant) {
        if (!grant.isRevoked() || grant.enforcedAt() == null) {
            throw new IllegalStateException("grant " + grant.grantId() + " has no recorded enforcement");
        }
        String backend = grant.isPostgres() ? grant.postgresAccess().backend() : JWT_DENYLIST;
        return new Enforcement(grant.grantId(), grant.requestId(), grant.workloadId(), grant.credentialName(),
                grant.revocationReason(), backend, grant.revokedAt(), grant.enforcedAt());
    }

    /**
     * enforcedAt - revokedAt. The two instants come from two hosts' clocks: a negative span means
     * clock skew, not enforcement before the decision, and counts as zero.
     */
    public Duration timeToEnforce() {
        Duration span = Duration.between(revokedAt, enforcedAt);
        return span.isNegative() ? Duration.ZERO : span;
    }
}
