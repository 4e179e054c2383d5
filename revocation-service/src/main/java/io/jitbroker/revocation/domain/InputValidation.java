package io.jitbroker.revocation.domain;

import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.RevocationScope;
import io.jitbroker.events.v1.TaskEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which decoded records the revoker cannot act on correctly, and why (the reason goes into the
 * dead letter). The rule is "can it be processed correctly", not "is every field pretty":
 * <ul>
 *   <li>ids the state is indexed by must be present (a blank id cannot be looked up);</li>
 *   <li>context events and revocation requests are not re-keyed, so their key must be their
 *       workload id: on another key they sit on another workload's partition, where that
 *       workload's grants are not;</li>
 *   <li>grants are re-keyed (by task id and by workload id), so their own key does not matter;
 *       a task event is read as keyed when its key is its task id and re-keyed otherwise, so a
 *       mismatch is not a reason to drop a task's end either;</li>
 *   <li>a revocation request names what its scope says (GRANT: a grantId, and optionally its
 *       taskId; TASK: a taskId and no grantId; WORKLOAD: neither), with reason MANUAL (and a
 *       detail) or POLICY_CHANGED, and a requester;</li>
 *   <li>a revoke command (the revoker's own, on its internal topic) names one grant with its
 *       workload and task, is keyed by that task id, and carries a reason of
 *       {@link RevokeCommands#REASONS}.</li>
 * </ul>
 * A context event's reason and source are not required: a compromise must revoke even when the
 * detector says little.
 */
public final class InputValidation {

    private static final String TOMBSTONE = "empty value (tombstone)";

    private InputValidation() {
    }

    public static Optional<String> problemWith(String key, GrantIssued grant) {
        if (grant == null) {
            return Optional.of(TOMBSTONE);
        }
        List<String> problems = new ArrayList<>();
        requireId(problems, "grantId", grant.getGrantId());
        requireId(problems, "workloadId", grant.getWorkloadId());
        requireId(problems, "taskId", grant.getTaskId());
        Long heartbeat = grant.getHeartbeatIntervalSeconds();
        if (heartbeat != null && heartbeat <= 0) {
            problems.add("heartbeatIntervalSeconds must be positive or null, was " + heartbeat);
        }
        return joined(problems);
    }

    public static Optional<String> problemWith(String key, TaskEvent event) {
        if (event == null) {
            return Optional.of(TOMBSTONE);
        }
        List<String> problems = new ArrayList<>();
        requireId(problems, "eventId", event.getEventId());
        requireId(problems, "taskId", event.getTaskId());
        requireId(problems, "workloadId", event.getWorkloadId());
        return joined(problems);
    }

    public static Optional<String> problemWith(String key, ContextEvent event) {
        if (event == null) {
            return Optional.of(TOMBSTONE);
        }
        List<String> problems = new ArrayList<>();
        requireId(problems, "eventId", event.getEventId());
        requireId(problems, "workloadId", event.getWorkloadId());
        requireKeyIsWorkload(problems, key, event.getWorkloadId());
        if (event.getEnvironment() != null && event.getEnvironment().isBlank()) {
            problems.add("environment must be null (all environments) or a name, was blank");
        }
        return joined(problems);
    }

    public static Optional<String> problemWith(String key, RevocationRequest request) {
        if (request == null) {
            return Optional.of(TOMBSTONE);
        }
        List<String> problems = new ArrayList<>();
        requireId(problems, "eventId", request.getEventId());
        requireId(problems, "workloadId", request.getWorkloadId());
        requireKeyIsWorkload(problems, key, request.getWorkloadId());
        requireId(problems, "requestedBy", request.getRequestedBy());
        RevocationReason reason = request.getReason();
        if (reason != RevocationReason.MANUAL && reason != RevocationReason.POLICY_CHANGED) {
            problems.add("reason must be MANUAL or POLICY_CHANGED, was " + reason);
        }
        if (reason == RevocationReason.MANUAL && isBlank(request.getDetail())) {
            problems.add("detail is required for a MANUAL revocation");
        }
        switch (request.getScope()) {
            // The grant id names the grant; a task id next to it (request-service adds the grant's
            // task from its ledger) is context and is not used.
            case GRANT -> requireId(problems, "grantId (scope GRANT)", request.getGrantId());
            case TASK -> {
                requireId(problems, "taskId (scope TASK)", request.getTaskId());
                requireAbsent(problems, "grantId", request.getGrantId(), "TASK");
            }
            case WORKLOAD -> {
                requireAbsent(problems, "grantId", request.getGrantId(), "WORKLOAD");
                requireAbsent(problems, "taskId", request.getTaskId(), "WORKLOAD");
            }
        }
        return joined(problems);
    }

    /** A revoke command from the workload side of the revoker (see {@link RevokeCommands}). */
    public static Optional<String> problemWithRevokeCommand(String key, RevocationRequest command) {
        if (command == null) {
            return Optional.of(TOMBSTONE);
        }
        List<String> problems = new ArrayList<>();
        requireId(problems, "eventId", command.getEventId());
        requireId(problems, "workloadId", command.getWorkloadId());
        requireId(problems, "grantId", command.getGrantId());
        requireId(problems, "taskId", command.getTaskId());
        if (command.getScope() != RevocationScope.GRANT) {
            problems.add("scope must be GRANT, was " + command.getScope());
        }
        if (!isBlank(command.getTaskId()) && !command.getTaskId().equals(key)) {
            problems.add("key " + (key == null ? "null" : "'" + key + "'") + " is not the taskId '"
                    + command.getTaskId() + "'");
        }
        if (!RevokeCommands.REASONS.contains(command.getReason())) {
            problems.add("reason must be one of " + RevokeCommands.REASONS + ", was " + command.getReason());
        }
        return joined(problems);
    }

    private static void requireId(List<String> problems, String field, String value) {
        if (isBlank(value)) {
            problems.add(field + " is missing");
        }
    }

    private static void requireKeyIsWorkload(List<String> problems, String key, String workloadId) {
        if (!isBlank(workloadId) && !workloadId.equals(key)) {
            problems.add("key " + (key == null ? "null" : "'" + key + "'") + " is not the workloadId '" + workloadId + "'");
        }
    }

    private static void requireAbsent(List<String> problems, String field, String value, String scope) {
        if (value != null) {
            problems.add(field + " must not be set for scope " + scope);
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static Optional<String> joined(List<String> problems) {
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }
}
