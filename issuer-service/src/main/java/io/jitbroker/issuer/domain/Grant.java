package io.jitbroker.issuer.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The right of one workload to one credential, for one task, until it expires or is revoked.
 * Holds nothing secret: the credential itself is minted only when the workload picks it up.
 *
 * @param credentialId  the id the credential will carry (a JWT's jti), known before it exists
 * @param heartbeatInterval how often the task must report it is alive; null when no heartbeat is required
 * @param dpopJkt       the DPoP key thumbprint the credential must be bound to; null when the request declared none
 * @param pickedUpAt    when the workload collected its credential; null until then
 * @param revokedAt     when revocation-service revoked the grant; null while live
 * @param enforcedAt    when this service made the revocation durable (the deny-list entry)
 */
public record Grant(UUID grantId, String requestId, UUID credentialId, String workloadId, String taskId,
                    String environment, List<GrantedResource> resources, String credentialType,
                    Instant issuedAt, Instant expiresAt, Duration heartbeatInterval, String dpopJkt, Instant pickedUpAt,
                    Instant revokedAt, String revocationReason, String revocationDetail, Instant enforcedAt) {

    /** A signed JWT access token (every resource type but postgres). */
    public static final String JWT = "jwt";

    public Grant {
        Objects.requireNonNull(grantId, "grantId");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(workloadId, "workloadId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(credentialType, "credentialType");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        resources = List.copyOf(resources);
    }

    /**
     * A fresh, live grant that nobody has picked up yet.
     *
     * @param credentialType {@link #JWT} or {@link PostgresAccess#CREDENTIAL_TYPE}
     */
    public static Grant issue(UUID grantId, UUID credentialId, ApprovedDecision decision, String credentialType,
                              Instant issuedAt, Instant expiresAt) {
        return new Grant(grantId, decision.requestId(), credentialId, decision.workloadId(), decision.taskId(),
                decision.environment(), decision.resources(), credentialType, issuedAt, expiresAt,
                decision.heartbeatInterval(), decision.dpopJkt(), null, null, null, null, null);
    }

    public boolean isPostgres() {
        return PostgresAccess.CREDENTIAL_TYPE.equals(credentialType);
    }

    /** What a postgres grant allows; only for {@link #isPostgres()} grants. */
    public PostgresAccess postgresAccess() {
        return PostgresAccess.of(resources);
    }

    /**
     * How events name the credential (credentialId): the JWT's jti, or the login role of a postgres
     * grant. Never secret.
     */
    public String credentialName() {
        return isPostgres() ? PostgresAccess.roleName(credentialId) : credentialId.toString();
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    public boolean isPickedUp() {
        return pickedUpAt != null;
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** The resource ids, each once, in grant order: the audiences of the credential. */
    public List<String> audiences() {
        return resources.stream().map(GrantedResource::id).distinct().toList();
    }

    /**
     * Whether a (redelivered) decision asks for exactly what this grant already covers, under the
     * same heartbeat and key binding: a decision that would loosen or drop either is not the same decision.
     */
    public boolean coversSameAccessAs(ApprovedDecision decision) {
        return workloadId.equals(decision.workloadId())
                && taskId.equals(decision.taskId())
                && environment.equals(decision.environment())
                && resources.equals(decision.resources())
                && Objects.equals(heartbeatInterval, decision.heartbeatInterval())
                && Objects.equals(dpopJkt, decision.dpopJkt());
    }
}
