package io.jitbroker.request.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jitbroker.request.domain.BreakGlassMarking;
import io.jitbroker.request.domain.LedgerEntry;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * A request waiting for an SRE, as GET /v1/approvals lists it: what is asked, why, and until when.
 *
 * @param decisionReasons why policy wants an approval (marked "BREAK-GLASS: " on a break-glass request)
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PendingApprovalView(
        String requestId, String workloadId, String taskId, String environment, List<ResourceView> resources,
        long ttlSeconds, String justification, boolean breakGlass, List<String> decisionReasons,
        Instant approvalDeadline, Instant requestedAt) {

    static PendingApprovalView of(LedgerEntry e) {
        return new PendingApprovalView(e.requestId(), e.workloadId(), e.taskId(), e.environment(),
                ResourceView.of(e.resources()), e.ttlSeconds(), e.justification(), e.isBreakGlass(),
                BreakGlassMarking.reasons(e), e.approvalDeadline(), e.requestedAt());
    }
}
