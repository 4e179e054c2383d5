package io.jitbroker.revocation.domain;

import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.RevocationRequest;

/**
 * Whether an event that revokes grants covers a given grant of its workload. Used when the grant
 * reaches the workload side of the revoker after the event (the event's topic is read directly,
 * the grant's goes through a repartition topic first, so events routinely win that race): a revoke
 * command is sent for the grant on arrival if the event would have covered it had it been there.
 */
public final class Scopes {

    private Scopes() {
    }

    /**
     * A context change covers the workload's grants in its environment (all, if it names none)
     * that were issued at or before the change: a grant issued afterwards is a new decision.
     */
    public static boolean covers(ContextEvent change, GrantIssued grant) {
        return change.getWorkloadId().equals(grant.getWorkloadId())
                && (change.getEnvironment() == null || change.getEnvironment().equals(grant.getEnvironment()))
                && !grant.getIssuedAt().isAfter(change.getOccurredAt());
    }

    /**
     * A request covers the grant it names, whenever it was issued; a TASK or WORKLOAD request
     * covers that task's or workload's grants issued at or before the request.
     */
    public static boolean covers(RevocationRequest request, GrantIssued grant) {
        if (!request.getWorkloadId().equals(grant.getWorkloadId())) {
            return false;
        }
        boolean issuedBefore = !grant.getIssuedAt().isAfter(request.getRequestedAt());
        return switch (request.getScope()) {
            case GRANT -> grant.getGrantId().equals(request.getGrantId());
            case TASK -> grant.getTaskId().equals(request.getTaskId()) && issuedBefore;
            case WORKLOAD -> issuedBefore;
        };
    }
}
