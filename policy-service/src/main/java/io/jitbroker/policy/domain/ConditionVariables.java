package io.jitbroker.policy.domain;

import com.google.protobuf.Timestamp;
import dev.cel.runtime.CelVariableResolver;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The variables a condition sees while one request is decided: {@code request}, {@code workload}
 * and {@code now} are built once per request, {@code resource} once per requested resource, so
 * evaluating many rules allocates little. Absent text (taskId, justification) is the empty string.
 */
final class ConditionVariables implements CelVariableResolver {

    private final Map<String, Object> request;
    private final Map<String, Object> workload;
    private final Timestamp now;
    private Map<String, Object> resource = Map.of();

    private ConditionVariables(Map<String, Object> request, Map<String, Object> workload, Timestamp now) {
        this.request = request;
        this.workload = workload;
        this.now = now;
    }

    static ConditionVariables of(AccessQuery query, int resourceCount, Instant now) {
        Map<String, Object> request = Map.of(
                "taskId", query.taskId(),
                "environment", query.environment(),
                "ttlSeconds", query.ttlSeconds(),
                "justification", query.justification(),
                "resourceCount", (long) resourceCount);
        SpiffeId spiffeId = SpiffeId.parse(query.workloadId());
        Map<String, Object> workload = Map.of(
                "id", query.workloadId(),
                "trustDomain", spiffeId.trustDomain(),
                "path", spiffeId.path());
        Timestamp timestamp = Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
        return new ConditionVariables(request, workload, timestamp);
    }

    /** Points {@code resource} at the next requested resource. */
    void resource(String type, String id, List<String> actions) {
        resource = Map.of("type", type, "id", id, "actions", actions);
    }

    @Override
    public Optional<Object> find(String name) {
        return switch (name) {
            case Condition.REQUEST -> Optional.of(request);
            case Condition.WORKLOAD -> Optional.of(workload);
            case Condition.RESOURCE -> Optional.of(resource);
            case Condition.NOW -> Optional.of(now);
            default -> Optional.empty();
        };
    }

    /** {@code spiffe://<trustDomain><path>}; both empty for anything else, which then matches no condition on them. */
    private record SpiffeId(String trustDomain, String path) {

        static SpiffeId parse(String id) {
            String prefix = "spiffe://";
            if (id == null || !id.startsWith(prefix)) {
                return new SpiffeId("", "");
            }
            String rest = id.substring(prefix.length());
            int slash = rest.indexOf('/');
            return slash < 0 ? new SpiffeId(rest, "") : new SpiffeId(rest.substring(0, slash), rest.substring(slash));
        }
    }
}
