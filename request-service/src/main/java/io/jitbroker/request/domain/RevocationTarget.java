package io.jitbroker.request.domain;

import java.util.Objects;

/**
 * What a manual revocation names once the ledger has told whose it is.
 *
 * @param workloadId always set: the revocation request is keyed by it
 * @param taskId     the task of scope TASK, and the grant's task for scope GRANT; null for scope WORKLOAD
 * @param grantId    set for scope GRANT only
 */
public record RevocationTarget(ManualRevocation.Scope scope, String workloadId, String taskId, String grantId) {

    public RevocationTarget {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(workloadId, "workloadId");
    }
}
