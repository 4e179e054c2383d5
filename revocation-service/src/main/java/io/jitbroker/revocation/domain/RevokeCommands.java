package io.jitbroker.revocation.domain;

import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.RevocationScope;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The revoke commands that the workload side of the revoker (partitioned by workload id) sends to
 * the task side (partitioned by task id), one per grant a context change or a revocation request
 * covers. A command is a {@link RevocationRequest} of scope GRANT naming the grant, its workload
 * and its task (its key), with the reason, the detail and the cause the revocation will carry:
 * {@code eventId} is the id of the context event or request that caused it. The wording of the
 * details is the revoker's, decided here once.
 */
public final class RevokeCommands {

    /** The reasons a command may carry: the ones decided for a workload, not for a task or a deadline. */
    public static final Set<RevocationReason> REASONS = Collections.unmodifiableSet(
            EnumSet.of(RevocationReason.CONTEXT_CHANGED, RevocationReason.MANUAL, RevocationReason.POLICY_CHANGED));

    private RevokeCommands() {
    }

    /**
     * Something changed about the grant's workload.
     *
     * @param changedBeforeGrant whether the change arrived before the grant did (the topics race)
     */
    public static RevocationRequest forContextChange(GrantIssued grant, ContextEvent change, boolean changedBeforeGrant) {
        String scope = change.getEnvironment() == null
                ? "all environments" : "environment " + change.getEnvironment();
        String detail = "context event " + change.getType() + " for workload " + change.getWorkloadId()
                + " (" + scope + ") from " + change.getSource() + ": " + change.getReason()
                + (changedBeforeGrant ? "; it arrived before grant " + grant.getGrantId() : "");
        return command(grant, change.getEventId(), RevocationReason.CONTEXT_CHANGED, detail, change.getSource(),
                change.getOccurredAt());
    }

    /**
     * An SRE (MANUAL) or policy-service (POLICY_CHANGED) asked for it; the reason is the request's.
     *
     * @param requestedBeforeGrant whether the request arrived before the grant did (the topics race)
     */
    public static RevocationRequest forRequest(GrantIssued grant, RevocationRequest request, boolean requestedBeforeGrant) {
        String detail = request.getReason() + " revocation (scope " + request.getScope() + ") requested by "
                + request.getRequestedBy() + ": " + request.getDetail()
                + (requestedBeforeGrant ? "; it arrived before grant " + grant.getGrantId() : "");
        return command(grant, request.getEventId(), request.getReason(), detail, request.getRequestedBy(),
                request.getRequestedAt());
    }

    private static RevocationRequest command(GrantIssued grant, String causeEventId, RevocationReason reason,
                                             String detail, String requestedBy, Instant requestedAt) {
        return RevocationRequest.newBuilder()
                .setEventId(causeEventId)
                .setScope(RevocationScope.GRANT)
                .setWorkloadId(grant.getWorkloadId())
                .setTaskId(grant.getTaskId())
                .setGrantId(grant.getGrantId())
                .setReason(reason)
                .setDetail(detail)
                .setRequestedBy(requestedBy)
                .setRequestedAt(requestedAt)
                .build();
    }
}
