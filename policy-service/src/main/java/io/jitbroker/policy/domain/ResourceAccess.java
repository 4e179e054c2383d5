package io.jitbroker.policy.domain;

import java.util.List;
import java.util.Objects;

/**
 * Actions on one resource, as asked for in a request or as granted by a decision.
 *
 * @param type    the resource kind, e.g. {@code http}
 * @param id      the resource id within its kind, e.g. {@code inventory-api}
 * @param actions the actions, as given (a decision's are distinct and sorted)
 */
public record ResourceAccess(String type, String id, List<String> actions) {

    public ResourceAccess {
        actions = List.copyOf(Objects.requireNonNull(actions, "actions"));
    }

    /** {@code type/id}, the way reasons and logs name a resource. */
    public String name() {
        return type + "/" + id;
    }
}
