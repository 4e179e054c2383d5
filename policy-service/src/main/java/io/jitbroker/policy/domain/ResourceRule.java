package io.jitbroker.policy.domain;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The resources of one kind a rule allows, and the actions allowed on them.
 *
 * @param type    the resource kind, matched exactly (e.g. {@code http})
 * @param ids     resource ids, each exact or a {@link GlobPattern}
 * @param actions actions allowed, matched exactly
 */
public record ResourceRule(String type, List<GlobPattern> ids, Set<String> actions) {

    public ResourceRule {
        Objects.requireNonNull(type, "type");
        ids = List.copyOf(ids);
        actions = Set.copyOf(actions);
    }

    /** Allocates nothing: this is on the path of every decision. */
    public boolean covers(String resourceType, String resourceId) {
        if (!type.equals(resourceType)) {
            return false;
        }
        for (GlobPattern id : ids) {
            if (id.matches(resourceId)) {
                return true;
            }
        }
        return false;
    }
}
