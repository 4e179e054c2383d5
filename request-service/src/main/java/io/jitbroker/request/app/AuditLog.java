package io.jitbroker.request.app;

import io.jitbroker.request.domain.Approval;
import io.jitbroker.request.domain.LedgerEntry;
import io.jitbroker.request.domain.RequestedResource;
import io.jitbroker.request.domain.RevocationTarget;
import io.jitbroker.request.domain.ValidContextEvent;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who did what to whose grants, and why: one INFO line per accepted context event, manual
 * revocation, approval and break-glass request, on the logger {@code jit.audit} so that it can be routed and kept apart. Reasons
 * are validated free text without control characters, so a line cannot be forged; tokens never
 * appear here.
 */
@Singleton
public class AuditLog {

    private static final Logger AUDIT = LoggerFactory.getLogger("jit.audit");

    public void contextEventAccepted(String eventId, String caller, ValidContextEvent event) {
        AUDIT.info("context event {} accepted: {} reported {} about workload {} in {}; reason: {}", eventId, caller,
                event.kind(), event.workloadId(), event.environment() == null ? "every environment" : event.environment(),
                event.reason());
    }

    /** A break-glass request stands out: WARN, so that it pages whoever watches the audit log. */
    public void breakGlassRequested(LedgerEntry entry) {
        AUDIT.warn("BREAK-GLASS access request {} accepted: workload {} asks for {} in {} for task {}; justification: {}",
                entry.requestId(), entry.workloadId(), describe(entry.resources()), entry.environment(), entry.taskId(),
                entry.justification());
    }

    /** e.g. {@code postgres/orders-db [read, write]}. */
    private static String describe(List<RequestedResource> resources) {
        return resources.stream().map(r -> r.type() + "/" + r.id() + " " + r.actions()).collect(Collectors.joining(", "));
    }

    public void approvalAccepted(String eventId, String sre, LedgerEntry entry, Approval approval) {
        AUDIT.info("approval {} accepted: {} {} request {} of workload {}{}; reason: {}", eventId, sre,
                approval.approve() ? "approves" : "denies", entry.requestId(), entry.workloadId(),
                entry.isBreakGlass() ? " (BREAK-GLASS)" : "", approval.reason());
    }

    /** An answer that did not count (the request had one already, or was not waiting): the audit says who tried. */
    public void approvalRefused(String sre, LedgerEntry entry, Approval approval, String why) {
        AUDIT.warn("approval refused: {} {} request {} of workload {}; reason given: {}; refused because: {}", sre,
                approval.approve() ? "approves" : "denies", entry.requestId(), entry.workloadId(), approval.reason(), why);
    }

    public void manualRevocationAccepted(String eventId, String caller, RevocationTarget target, String reason) {
        AUDIT.info("manual revocation {} accepted: {} revokes {} (workload {}, task {}, grant {}); reason: {}", eventId,
                caller, target.scope(), target.workloadId(), target.taskId(), target.grantId(), reason);
    }
}
