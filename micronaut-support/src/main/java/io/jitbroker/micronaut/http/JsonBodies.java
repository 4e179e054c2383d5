package io.jitbroker.micronaut.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads JSON request bodies into plain JSON values (maps, lists, strings, numbers), so that the
 * rules that check them can name the field at fault. A body that is not a JSON object is a 400
 * {@code malformed_json}; a field that is wrong is a 400 {@code invalid_request} naming it.
 */
@Singleton
public class JsonBodies {

    private final JsonMapper jsonMapper;

    public JsonBodies(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    /** The body as a JSON object. @throws ApiException 400 otherwise */
    @SuppressWarnings("unchecked")
    public Map<String, Object> object(@Nullable String body) {
        if (body == null || body.isBlank()) {
            throw malformed("the request body is required: a JSON object");
        }
        Object value;
        try {
            value = jsonMapper.readValue(body, Object.class);
        } catch (IOException | RuntimeException e) {
            throw malformed("the request body is not valid JSON");
        }
        if (!(value instanceof Map<?, ?> object)) {
            throw malformed("the request body must be a JSON object");
        }
        return (Map<String, Object>) object;
    }

    /**
     * The body as a JSON object with no fields but {@code fields}: a typo must not silently change
     * the question. @throws ApiException 400 otherwise
     */
    public Map<String, Object> object(@Nullable String body, Set<String> fields) {
        Map<String, Object> object = object(body);
        object(object, "the request body", fields);
        return object;
    }

    /** {@code value} as a JSON object with no fields but {@code fields}; {@code where} names it in errors. */
    public static Map<?, ?> object(Object value, String where, Set<String> fields) {
        if (!(value instanceof Map<?, ?> map)) {
            throw ApiException.invalid(where + ": must be a JSON object");
        }
        for (Object key : map.keySet()) {
            if (!fields.contains(key)) {
                throw ApiException.invalid(where + ": unknown field '" + key + "' (allowed: "
                        + String.join(", ", new TreeSet<>(fields)) + ")");
            }
        }
        return map;
    }

    /** @param path how the message names the field, e.g. {@code resources[0].type} */
    public static String string(Map<?, ?> object, String field, boolean required, String path) {
        Object value = object.get(field);
        if (value == null) {
            if (required) {
                throw ApiException.invalid(path + ": is missing");
            }
            return null;
        }
        if (!(value instanceof String text)) {
            throw ApiException.invalid(path + ": must be a string");
        }
        return text;
    }

    private static ApiException malformed(String message) {
        return ApiException.badRequest("malformed_json", message);
    }
}
