package io.jitbroker.policy.api;

import io.jitbroker.micronaut.http.JsonBodies;
import io.jitbroker.micronaut.http.ApiException;
import static io.jitbroker.micronaut.http.ApiException.invalid;
import static io.jitbroker.micronaut.http.JsonBodies.string;

import io.jitbroker.policy.domain.AccessQuery;
import io.jitbroker.policy.domain.ResourceAccess;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads an explain request body, checking every field so that a bad one is named:
 * {@code workloadId}, {@code environment}, {@code resources} (each {@code type}, {@code id},
 * {@code actions}), {@code ttlSeconds}, optional {@code taskId}, {@code justification} and
 * {@code proposedBundle} (a policy YAML to evaluate instead of the running one).
 */
@Singleton
public class ExplainRequests {

    private static final Set<String> FIELDS =
            Set.of("workloadId", "environment", "resources", "ttlSeconds", "taskId", "justification", "proposedBundle");
    private static final Set<String> RESOURCE_FIELDS = Set.of("type", "id", "actions");

    private final JsonBodies bodies;

    public ExplainRequests(JsonBodies bodies) {
        this.bodies = bodies;
    }

    /** The hypothetical request, and the document to evaluate it against (null: the running bundle). */
    record ExplainRequest(AccessQuery query, @Nullable String proposedBundle) {
    }

    /** @throws ApiException 400 naming the field at fault */
    ExplainRequest read(@Nullable String body) {
        Map<?, ?> object = bodies.object(body, FIELDS);
        String workloadId = string(object, "workloadId", true, "workloadId");
        String environment = string(object, "environment", true, "environment");
        long ttlSeconds = wholeNumber(object.get("ttlSeconds"), "ttlSeconds");
        String taskId = string(object, "taskId", false, "taskId");
        String justification = string(object, "justification", false, "justification");
        String proposedBundle = string(object, "proposedBundle", false, "proposedBundle");
        Object resourcesValue = object.get("resources");
        if (!(resourcesValue instanceof List<?> items)) {
            throw invalid("resources: must be a list of {type, id, actions}");
        }
        List<ResourceAccess> resources = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String where = "resources[" + i + "]";
            Map<?, ?> resource = JsonBodies.object(items.get(i), where, RESOURCE_FIELDS);
            resources.add(new ResourceAccess(string(resource, "type", true, where + ".type"),
                    string(resource, "id", true, where + ".id"), strings(resource.get("actions"), where + ".actions")));
        }
        AccessQuery query = new AccessQuery(workloadId, environment, resources, ttlSeconds, OptionalLong.empty(),
                taskId, justification);
        List<String> problems = query.problems();
        if (!problems.isEmpty()) {
            throw invalid(String.join("; ", problems));
        }
        return new ExplainRequest(query, proposedBundle);
    }

    private static List<String> strings(Object value, String path) {
        if (!(value instanceof List<?> items)) {
            throw invalid(path + ": must be a list of strings");
        }
        List<String> strings = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof String text)) {
                throw invalid(path + "[" + i + "]: must be a string");
            }
            strings.add(text);
        }
        return strings;
    }

    private static long wholeNumber(Object value, String path) {
        if (value == null) {
            throw invalid(path + ": is missing");
        }
        if (!(value instanceof Integer || value instanceof Long)) {
            throw invalid(path + ": must be a whole number of seconds");
        }
        return ((Number) value).longValue();
    }
}
