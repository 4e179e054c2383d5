package io.jitbroker.policy.api;

import io.jitbroker.policy.domain.AccessQuery;
import io.jitbroker.policy.domain.ResourceAccess;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads an explain request body into an {@link AccessQuery}, checking every field itself so that
 * a bad one is named: {@code workloadId}, {@code environment}, {@code resources} (each
 * {@code type}, {@code id}, {@code actions}), {@code ttlSeconds}, optional {@code taskId} and
 * {@code justification}. Unknown fields are refused: a typo must not silently change the question.
 */
@Singleton
public class ExplainRequests {

    private static final Set<String> FIELDS =
            Set.of("workloadId", "environment", "resources", "ttlSeconds", "taskId", "justification");
    private static final Set<String> RESOURCE_FIELDS = Set.of("type", "id", "actions");

    private final JsonMapper jsonMapper;

    public ExplainRequests(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    /** @throws InvalidExplainRequestException naming the field at fault */
    AccessQuery read(@Nullable String body) {
        Map<?, ?> object = object(body, "the request body", FIELDS);
        String workloadId = string(object, "workloadId", true);
        String environment = string(object, "environment", true);
        long ttlSeconds = wholeNumber(object.get("ttlSeconds"), "ttlSeconds");
        String taskId = string(object, "taskId", false);
        String justification = string(object, "justification", false);
        Object resourcesValue = object.get("resources");
        if (!(resourcesValue instanceof List<?> items)) {
            throw invalid("resources: must be a list of {type, id, actions}");
        }
        List<ResourceAccess> resources = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String where = "resources[" + i + "]";
            Map<?, ?> resource = object(items.get(i), where, RESOURCE_FIELDS);
            resources.add(new ResourceAccess(string(resource, "type", true, where), string(resource, "id", true, where),
                    strings(resource.get("actions"), where + ".actions")));
        }
        AccessQuery query = new AccessQuery(workloadId, environment, resources, ttlSeconds, OptionalLong.empty(),
                taskId, justification);
        List<String> problems = query.problems();
        if (!problems.isEmpty()) {
            throw invalid(String.join("; ", problems));
        }
        return query;
    }

    private Map<?, ?> object(@Nullable String body, String where, Set<String> fields) {
        if (body == null || body.isBlank()) {
            throw new InvalidExplainRequestException("malformed_json", "the request body is required: a JSON object");
        }
        Object value;
        try {
            value = jsonMapper.readValue(body, Object.class);
        } catch (IOException | RuntimeException e) {
            throw new InvalidExplainRequestException("malformed_json", "the request body is not valid JSON");
        }
        return object(value, where, fields);
    }

    private static Map<?, ?> object(Object value, String where, Set<String> fields) {
        if (!(value instanceof Map<?, ?> map)) {
            throw invalid(where + ": must be a JSON object");
        }
        for (Object key : map.keySet()) {
            if (!fields.contains(key)) {
                throw invalid(where + ": unknown field '" + key + "' (allowed: " + String.join(", ", new TreeSet<>(fields)) + ")");
            }
        }
        return map;
    }

    private static String string(Map<?, ?> object, String field, boolean required) {
        return string(object, field, required, null);
    }

    private static String string(Map<?, ?> object, String field, boolean required, String where) {
        String path = where == null ? field : where + "." + field;
        Object value = object.get(field);
        if (value == null) {
            if (required) {
                throw invalid(path + ": is missing");
            }
            return null;
        }
        if (!(value instanceof String text)) {
            throw invalid(path + ": must be a string");
        }
        return text;
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

    private static InvalidExplainRequestException invalid(String message) {
        return new InvalidExplainRequestException("invalid_request", message);
    }
}
