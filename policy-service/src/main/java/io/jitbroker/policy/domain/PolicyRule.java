package io.jitbroker.policy.domain;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * One allow rule: which workloads, in which environments, may do what on which resources, and for
 * how long at most.
 *
 * @param maxTtlSeconds the rule's own cap on a grant's lifetime; empty when only the global cap applies
 */
public record PolicyRule(String id, String description, GlobPattern workload, Set<String> environments,
                         List<ResourceRule> resources, OptionalLong maxTtlSeconds) {

    public PolicyRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workload, "workload");
        description = description == null ? "" : description;
        environments = Set.copyOf(environments);
        resources = List.copyOf(resources);
        Objects.requireNonNull(maxTtlSeconds, "maxTtlSeconds");
    }

    /** Whether this rule speaks about this workload in this environment at all. */
    public boolean appliesTo(String workloadId, String environment) {
        return environments.contains(environment) && workload.matches(workloadId);
    }

    /** The actions this rule allows on one resource (empty when it says nothing about it). */
    public Set<String> allowedActions(String resourceType, String resourceId) {
        Set<String> allowed = new TreeSet<>();
        for (ResourceRule resource : resources) {
            if (resource.covers(resourceType, resourceId)) {
                allowed.addAll(resource.actions());
            }
        }
        return allowed;
    }
}
