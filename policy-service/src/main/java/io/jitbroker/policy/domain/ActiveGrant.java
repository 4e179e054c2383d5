package io.jitbroker.policy.domain;

import java.util.Objects;

/**
 * A grant the workload holds right now: reserved (approved or awaiting approval, not yet issued)
 * or issued, and neither revoked nor expired. Caps and environment separation count these.
 *
 * @param requestId   the request the grant answers
 * @param taskId      the task it was asked for ("" when none)
 * @param environment where it gives access
 */
public record ActiveGrant(String requestId, String taskId, String environment) {

    public ActiveGrant {
        Objects.requireNonNull(requestId, "requestId");
        taskId = taskId == null ? "" : taskId;
        Objects.requireNonNull(environment, "environment");
    }
}
