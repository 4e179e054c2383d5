package io.jitbroker.request.domain;

import java.util.List;
import java.util.Objects;

/**
 * One resource and the actions on it, as asked for or as granted.
 *
 * @param actions sorted and distinct
 */
public record RequestedResource(String type, String id, List<String> actions) {

    public RequestedResource {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        actions = List.copyOf(actions);
    }
}
