package io.jitbroker.request.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jitbroker.request.domain.BreakGlassMarking;
import io.jitbroker.request.domain.LedgerEntry;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * The ledger entry of one access request, as GET /v1/access-requests/{requestId} shows it. Facts not known yet are null.
 *
 * @param breakGlass         the entry is break-glass (the workload asked for it, or policy decided it as one);
 *                           its decision reasons then begin with "BREAK-GLASS: "
 * @param decisionBreakGlass policy's own flag; null until decided
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AccessRequestView(
        String requestId, String workloadId, String taskId, String environment,
        List<ResourceView> resources, long ttlSeconds, Long heartbeatIntervalSeconds, String justification,
        boolean breakGlass, String dpopJkt,
        String status,
        String decision, List<String> decisionReasons, String policyVersion,
        List<ResourceView> grantedResources, Long grantedTtlSeconds,
        String denyCode, Boolean decisionBreakGlass, Instant approvalDeadline, String approvedBy, String approvalReason,
        String grantId, Instant expiresAt,
        String revocationReason, String revocationDetail, String causeEventId,
        String enforcementBackend,
        Instant requestedAt, Instant decidedAt, Instant issuedAt, Instant revokedAt, Instant enforcedAt) {

    static AccessRequestView of(LedgerEntry e) {
        return new AccessRequestView(e.requestId(), e.workloadId(), e.taskId(), e.environment(),
                ResourceView.of(e.resources()), e.ttlSeconds(), e.heartbeatIntervalSeconds(), e.justification(),
                e.isBreakGlass(), e.dpopJkt(),
                e.status().name(),
                e.decision() == null ? null : e.decision().name(), BreakGlassMarking.reasons(e), e.policyVersion(),
                ResourceView.of(e.grantedResources()), e.grantedTtlSeconds(),
                e.denyCode(), e.decisionBreakGlass(), e.approvalDeadline(), e.approvedBy(), e.approvalReason(),
                e.grantId(), e.expiresAt(), e.revocationReason(), e.revocationDetail(), e.causeEventId(),
                e.enforcementBackend(),
                e.requestedAt(), e.decidedAt(), e.issuedAt(), e.revokedAt(), e.enforcedAt());
    }
}
