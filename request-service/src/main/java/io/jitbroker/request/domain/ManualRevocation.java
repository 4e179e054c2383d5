package io.jitbroker.request.domain;

import java.util.Objects;

/**
 * What an SRE asked to revoke, as the body said it; the grant's or task's workload is looked up afterwards.
 *
 * @param grantId    set for scope GRANT only
 * @param taskId     set for scope TASK only
 * @param workloadId set for scope WORKLOAD; for scope TASK, optional, to pick one workload when several used the task id
 * @param reason     the SRE's words, recorded on the revocation
 */
public record ManualRevocation(Scope scope, String grantId, String taskId, String workloadId, String reason) {

    public ManualRevocation {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(reason, "reason");
        switch (scope) {
            case GRANT -> Objects.requireNonNull(grantId, "grantId");
            case TASK -> Objects.requireNonNull(taskId, "taskId");
            case WORKLOAD -> Objects.requireNonNull(workloadId, "workloadId");
        }
    }

    /** What the revocation names: one grant, every grant of a task, or every grant of a workload. */
    public enum Scope {
        GRANT, TASK, WORKLOAD
    }
}
