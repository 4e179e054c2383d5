package io.jitbroker.client;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One resource of an access request, or of what a decision granted: its type ({@code http},
 * {@code postgres}), its id ({@code inventory-api}, {@code orders-db/public.orders}) and the actions.
 */
public record Resource(String type, String id, List<String> actions) {

    public Resource {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        actions = List.copyOf(Objects.requireNonNull(actions, "actions"));
    }

    public static Resource of(String type, String id, String... actions) {
        return new Resource(type, id, List.of(actions));
    }

    /**
     * Reads {@code type:id:action[,action...]}, e.g. {@code http:inventory-api:read,write} or
     * {@code postgres:orders-db/public.orders:SELECT}. The type ends at the first colon and the actions
     * start after the last one, so an id may itself contain colons.
     *
     * @throws IllegalArgumentException naming what is missing
     */
    public static Resource parse(String text) {
        Objects.requireNonNull(text, "text");
        int typeEnd = text.indexOf(':');
        int actionsStart = text.lastIndexOf(':');
        if (typeEnd <= 0 || actionsStart == typeEnd) {
            throw new IllegalArgumentException("resource '" + text + "' must be type:id:action[,action], e.g. http:inventory-api:read");
        }
        String id = text.substring(typeEnd + 1, actionsStart);
        if (id.isBlank()) {
            throw new IllegalArgumentException("resource '" + text + "' has no id (type:id:action[,action])");
        }
        List<String> actions = Arrays.stream(text.substring(actionsStart + 1).split(",", -1)).map(String::trim).toList();
        if (actions.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("resource '" + text + "' has an empty action (type:id:action[,action])");
        }
        return new Resource(text.substring(0, typeEnd), id, actions);
    }

    /** The {@link #parse} syntax: {@code http:inventory-api:read,write}. */
    @Override
    public String toString() {
        return type + ":" + id + ":" + String.join(",", actions);
    }
}
