package io.jitbroker.policy.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a workload asks for, as the policy engine sees it.
 *
 * @param workloadId  the caller's SPIFFE ID
 * @param environment the environment the access is for
 * @param resources   the resources and actions asked for
 * @param ttlSeconds  the lifetime asked for
 * @param heartbeatIntervalSeconds how often the task promises to report it is alive; empty when it asks for no heartbeat
 * @param taskId      the task the access is for; empty when not given (an explanation may omit it)
 * @param justification the caller's stated reason; empty when not given
 */
public record AccessQuery(String workloadId, String environment, List<ResourceAccess> resources, long ttlSeconds,
                          OptionalLong heartbeatIntervalSeconds, String taskId, String justification) {

    public AccessQuery {
        resources = resources == null ? List.of() : List.copyOf(resources);
        Objects.requireNonNull(heartbeatIntervalSeconds, "heartbeatIntervalSeconds");
        taskId = taskId == null ? "" : taskId;
        justification = justification == null ? "" : justification;
    }

    /** A request without task id or justification. */
    public AccessQuery(String workloadId, String environment, List<ResourceAccess> resources, long ttlSeconds,
                       OptionalLong heartbeatIntervalSeconds) {
        this(workloadId, environment, resources, ttlSeconds, heartbeatIntervalSeconds, "", "");
    }

    /** A request without a heartbeat. */
    public AccessQuery(String workloadId, String environment, List<ResourceAccess> resources, long ttlSeconds) {
        this(workloadId, environment, resources, ttlSeconds, OptionalLong.empty());
    }

    /** What makes this request impossible to decide on; empty when it is well formed. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (isBlank(workloadId)) {
            problems.add("workloadId is blank");
        }
        if (isBlank(environment)) {
            problems.add("environment is blank");
        }
        if (ttlSeconds <= 0) {
            problems.add("ttlSeconds must be greater than 0, got " + ttlSeconds);
        }
        if (heartbeatIntervalSeconds.isPresent() && heartbeatIntervalSeconds.getAsLong() <= 0) {
            problems.add("heartbeatIntervalSeconds must be greater than 0 when set, got "
                    + heartbeatIntervalSeconds.getAsLong());
        }
        if (resources.isEmpty()) {
            problems.add("resources is empty: at least one resource must be requested");
        }
        for (int i = 0; i < resources.size(); i++) {
            ResourceAccess resource = resources.get(i);
            if (isBlank(resource.type())) {
                problems.add("resources[" + i + "].type is blank");
            }
            if (isBlank(resource.id())) {
                problems.add("resources[" + i + "].id is blank");
            }
            if (resource.actions().isEmpty()) {
                problems.add("resources[" + i + "].actions is empty");
            } else if (resource.actions().stream().anyMatch(AccessQuery::isBlank)) {
                problems.add("resources[" + i + "].actions has a blank action");
            }
        }
        return problems;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
