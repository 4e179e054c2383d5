package io.jitbroker.client;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One access request as the ledger shows it (GET /v1/access-requests/{id}). Facts not known yet are
 * null. It holds no secret: the credential is only in {@link Credential}.
 */
public record LedgerEntry(
        String requestId, String workloadId, String taskId, String environment,
        List<Resource> resources, long ttlSeconds, Long heartbeatIntervalSeconds, String justification,
        boolean breakGlass, String dpopJkt,
        String status,
        String decision, List<String> decisionReasons, String policyVersion,
        List<Resource> grantedResources, Long grantedTtlSeconds,
        String denyCode, Instant approvalDeadline, String approvedBy, String approvalReason,
        String grantId, Instant expiresAt,
        String revocationReason, String revocationDetail, String causeEventId,
        String enforcementBackend,
        Instant requestedAt, Instant decidedAt, Instant issuedAt, Instant revokedAt, Instant enforcedAt) {

    public static final String PENDING = "PENDING";
    public static final String PENDING_APPROVAL = "PENDING_APPROVAL";
    public static final String APPROVED = "APPROVED";
    public static final String DENIED = "DENIED";
    public static final String ISSUED = "ISSUED";
    public static final String REVOKED = "REVOKED";

    /** Statuses after which nothing more happens before the workload acts: issued, denied, or already revoked. */
    private static final Set<String> SETTLED = Set.of(ISSUED, DENIED, REVOKED);

    public LedgerEntry {
        resources = resources == null ? List.of() : List.copyOf(resources);
        decisionReasons = decisionReasons == null ? List.of() : List.copyOf(decisionReasons);
        grantedResources = grantedResources == null ? List.of() : List.copyOf(grantedResources);
    }

    /** Issued, denied or revoked: waiting longer changes nothing until the workload acts. */
    public boolean settled() {
        return SETTLED.contains(status);
    }

    public boolean issued() {
        return ISSUED.equals(status);
    }

    public boolean denied() {
        return DENIED.equals(status);
    }

    public boolean pendingApproval() {
        return PENDING_APPROVAL.equals(status);
    }
}
