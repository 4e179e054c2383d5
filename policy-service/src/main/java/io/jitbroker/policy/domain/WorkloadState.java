package io.jitbroker.policy.domain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What is true of the calling workload right now, beyond its request: whether it has been marked
 * compromised, and the grants it already holds. The caller (the decision topology) keeps this
 * state; the engine only reads it.
 *
 * @param compromisedReason why the workload is marked compromised; empty when it is not
 * @param activeGrants      its reserved or issued grants that are not yet revoked or expired,
 *                          not including the request being decided
 */
public record WorkloadState(Optional<String> compromisedReason, List<ActiveGrant> activeGrants) {

    private static final WorkloadState NONE = new WorkloadState(Optional.empty(), List.of());

    public WorkloadState {
        Objects.requireNonNull(compromisedReason, "compromisedReason");
        activeGrants = List.copyOf(activeGrants);
    }

    /** Not compromised, no grants: what a workload seen for the first time has. */
    public static WorkloadState none() {
        return NONE;
    }

    public static WorkloadState holding(List<ActiveGrant> activeGrants) {
        return new WorkloadState(Optional.empty(), activeGrants);
    }

    public static WorkloadState compromised(String reason) {
        return new WorkloadState(Optional.of(reason), List.of());
    }
}
