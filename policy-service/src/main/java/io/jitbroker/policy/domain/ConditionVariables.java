package io.jitbroker.policy.domain;

import com.google.protobuf.Timestamp;
import dev.cel.runtime.CelVariableResolver;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The values of the {@link ConditionVariable}s while one request is decided: built once per
 * request, pointed at each requested resource in turn, and computing the rarely read ones
 * (trust domain, path, the timestamp) only when a condition reads them, so that evaluating
 * conditions allocates little. Absent text (taskId, justification) is the empty string.
 */
final class ConditionVariables implements CelVariableResolver {

    private static final String SPIFFE_SCHEME = "spiffe://";

    private final AccessQuery query;
    private final Long ttlSeconds;
    private final Long resourceCount;
    private final Instant now;
    private Timestamp timestamp;
    private String trustDomain;
    private String path;
    private String resourceType = "";
    private String resourceId = "";
    private List<String> resourceActions = List.of();

    private ConditionVariables(AccessQuery query, int resourceCount, Instant now) {
        this.query = query;
        this.ttlSeconds = query.ttlSeconds();
        this.resourceCount = (long) resourceCount;
        this.now = now;
    }

    static ConditionVariables of(AccessQuery query, int resourceCount, Instant now) {
        return new ConditionVariables(query, resourceCount, now);
    }

    /** Points {@code resource.*} at the next requested resource. */
    void resource(String type, String id, List<String> actions) {
        resourceType = type;
        resourceId = id;
        resourceActions = actions;
    }

    @Override
    public Optional<Object> find(String name) {
        ConditionVariable variable = ConditionVariable.named(name);
        if (variable == null) {
            return Optional.empty();
        }
        return Optional.of(switch (variable) {
            case REQUEST_ENVIRONMENT -> query.environment();
            case REQUEST_TTL_SECONDS -> ttlSeconds;
            case REQUEST_TASK_ID -> query.taskId();
            case REQUEST_JUSTIFICATION -> query.justification();
            case REQUEST_RESOURCE_COUNT -> resourceCount;
            case REQUEST_BREAK_GLASS -> query.breakGlass();
            case WORKLOAD_ID -> query.workloadId();
            case WORKLOAD_TRUST_DOMAIN -> trustDomain();
            case WORKLOAD_PATH -> path();
            case WORKLOAD_CLAIMS -> query.claims();
            case RESOURCE_TYPE -> resourceType;
            case RESOURCE_ID -> resourceId;
            case RESOURCE_ACTIONS -> resourceActions;
            case NOW -> timestamp();
        });
    }

    private Timestamp timestamp() {
        if (timestamp == null) {
            timestamp = Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
        }
        return timestamp;
    }

    /** {@code spiffe://<trustDomain><path>}; both empty for anything else, which then matches no condition on them. */
    private String trustDomain() {
        if (trustDomain == null) {
            splitSpiffeId();
        }
        return trustDomain;
    }

    private String path() {
        if (path == null) {
            splitSpiffeId();
        }
        return path;
    }

    private void splitSpiffeId() {
        String id = query.workloadId();
        if (id == null || !id.startsWith(SPIFFE_SCHEME)) {
            trustDomain = "";
            path = "";
            return;
        }
        String rest = id.substring(SPIFFE_SCHEME.length());
        int slash = rest.indexOf('/');
        trustDomain = slash < 0 ? rest : rest.substring(0, slash);
        path = slash < 0 ? "" : rest.substring(slash);
    }
}
