package io.jitbroker.policy.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * @param breakGlass  an emergency request: only break-glass rules may grant it, it needs a justification and its
 *                    TTL is capped by the policy's breakGlass.maxTtlSeconds
 * @param claims      string claims of the caller's verified identity token (never the token), e.g. an environment binding
 */
public record AccessQuery(String workloadId, String environment, List<ResourceAccess> resources, long ttlSeconds,
                          OptionalLong heartbeatIntervalSeconds, String taskId, String justification,
                          boolean breakGlass, Map<String, String> claims) {

    public AccessQuery {
        resources = resources == null ? List.of() : List.copyOf(resources);
        Objects.requireNonNull(heartbeatIntervalSeconds, "heartbeatIntervalSeconds");
        taskId = taskId == null ? "" : taskId;
        justification = justification == null ? "" : justification;
        claims = claims == null ? Map.of() : Map.copyOf(claims);
    }

    /** A request that is not break-glass and carries no claims. */
    public AccessQuery(String workloadId, String environment, List<ResourceAccess> resources, long ttlSeconds,
                       OptionalLong heartbeatIntervalSeconds, String taskId, String justification) {
        this(workloadId, environment, resources, ttlSeconds, heartbeatIntervalSeconds, taskId, justification, false, Map.of());
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

    /** The same request asking for other resources. */
    public AccessQuery withResources(List<ResourceAccess> otherResources) {
        return new AccessQuery(workloadId, environment, otherResources, ttlSeconds, heartbeatIntervalSeconds, taskId,
                justification, breakGlass, claims);
    }

    /** The same request, as break-glass or not. */
    public AccessQuery withBreakGlass(boolean emergency) {
        return new AccessQuery(workloadId, environment, resources, ttlSeconds, heartbeatIntervalSeconds, taskId,
                justification, emergency, claims);
    }

    /** The same request with these identity claims. */
    public AccessQuery withClaims(Map<String, String> otherClaims) {
        return new AccessQuery(workloadId, environment, resources, ttlSeconds, heartbeatIntervalSeconds, taskId,
                justification, breakGlass, otherClaims);
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
            } else if (hasBlank(resource.actions())) {
                problems.add("resources[" + i + "].actions has a blank action");
            }
        }
        return problems;
    }

    private static boolean hasBlank(List<String> values) {
        for (String value : values) {
            if (isBlank(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
