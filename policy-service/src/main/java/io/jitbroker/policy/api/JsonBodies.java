package io.jitbroker.policy.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads JSON request bodies field by field, so that a bad one is named. Unknown fields are
 * refused: a typo must not silently change the question.
 */
@Singleton
public class JsonBodies {

    private final JsonMapper jsonMapper;

    public JsonBodies(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    /** The body as a JSON object with only {@code fields}. @throws ApiException 400 otherwise */
    Map<?, ?> object(@Nullable String body, Set<String> fields) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("malformed_json", "the request body is required: a JSON object");
        }
        Object value;
        try {
            value = jsonMapper.readValue(body, Object.class);
        } catch (IOException | RuntimeException e) {
            throw ApiException.badRequest("malformed_json", "the request body is not valid JSON");
        }
        return object(value, "the request body", fields);
    }

    static Map<?, ?> object(Object value, String where, Set<String> fields) {
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

    /** @param path how the message names the field, e.g. {@code resources[0].type} */
    static String string(Map<?, ?> object, String field, boolean required, String path) {
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

    static ApiException invalid(String message) {
        return ApiException.badRequest("invalid_request", message);
    }
}
