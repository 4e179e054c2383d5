package io.jitbroker.request.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Map;

/**
 * Parses request bodies into plain JSON values (maps, lists, strings, numbers) so that the domain
 * rules can check every field themselves and name the one at fault.
 */
@Singleton
public class JsonBodies {

    private final JsonMapper jsonMapper;

    public JsonBodies(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

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

    private static ApiException malformed(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "malformed_json", message);
    }
}
