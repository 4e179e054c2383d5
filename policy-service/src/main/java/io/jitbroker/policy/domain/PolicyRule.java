package io.jitbroker.policy.domain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One rule: which workloads, in which environments, may (allow) or may not (deny) do what on which
 * resources, when (an optional CEL condition), and for how long at most.
 *
 * @param maxTtlSeconds   the rule's own cap on a grant's lifetime; empty when only the global cap applies (allow rules only)
 * @param effect          allow grants the actions named; deny removes them from what allow rules grant
 * @param condition       evaluated per requested resource; empty means the rule applies whenever it matches
 * @param breakGlass      an allow rule that applies only to break-glass requests (and normal allow rules never do);
 *                        deny rules apply to both kinds of request and cannot set it
 * @param requireApproval an allow rule whose grants wait for a human approval (PENDING_APPROVAL); allow rules only
 */
public record PolicyRule(String id, String description, GlobPattern workload, Set<String> environments,
                         List<ResourceRule> resources, OptionalLong maxTtlSeconds, Effect effect,
                         Optional<Condition> condition, boolean breakGlass, boolean requireApproval) {

    public PolicyRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workload, "workload");
        description = description == null ? "" : description;
        environments = Set.copyOf(environments);
        resources = List.copyOf(resources);
        Objects.requireNonNull(maxTtlSeconds, "maxTtlSeconds");
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(condition, "condition");
        if (effect == Effect.DENY && (breakGlass || requireApproval || maxTtlSeconds.isPresent())) {
            throw new IllegalArgumentException("rule " + id + ": a deny rule grants nothing, so it cannot be break-glass, "
                    + "require approval or cap a ttl");
        }
    }

    /** A rule that is neither break-glass nor needs approval. */
    public PolicyRule(String id, String description, GlobPattern workload, Set<String> environments,
                      List<ResourceRule> resources, OptionalLong maxTtlSeconds, Effect effect, Optional<Condition> condition) {
        this(id, description, workload, environments, resources, maxTtlSeconds, effect, condition, false, false);
    }

    /** An unconditional allow rule. */
    public PolicyRule(String id, String description, GlobPattern workload, Set<String> environments,
                      List<ResourceRule> resources, OptionalLong maxTtlSeconds) {
        this(id, description, workload, environments, resources, maxTtlSeconds, Effect.ALLOW, Optional.empty());
    }

    /** Whether this rule speaks about this workload in this environment at all. */
    public boolean appliesTo(String workloadId, String environment) {
        return environments.contains(environment) && workload.matches(workloadId);
    }

    /**
     * Whether this rule takes part in deciding a request of this kind: deny rules always; allow rules
     * only break-glass ones for break-glass requests, and only the others for the others.
     */
    public boolean decides(boolean breakGlassRequest) {
        return effect == Effect.DENY || breakGlass == breakGlassRequest;
    }

    /** Whether this rule names actions on this resource at all; allocates nothing. */
    public boolean covers(String resourceType, String resourceId) {
        for (ResourceRule resource : resources) {
            if (resource.covers(resourceType, resourceId)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this rule names this action on this resource; allocates nothing. */
    public boolean names(String resourceType, String resourceId, String action) {
        for (ResourceRule resource : resources) {
            if (resource.actions().contains(action) && resource.covers(resourceType, resourceId)) {
                return true;
            }
        }
        return false;
    }
}
