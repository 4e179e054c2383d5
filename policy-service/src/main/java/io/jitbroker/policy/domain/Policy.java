package io.jitbroker.policy.domain;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A loaded, validated policy. Deny by default: only what a rule allows can be granted.
 *
 * @param version       an opaque label copied into every decision, so each decision can be traced to the policy that made it
 * @param maxTtlSeconds the global cap on any grant's lifetime
 * @param environments  the environments this policy knows; a request for any other environment is denied
 * @param rules         allow and deny rules, in file order
 */
public record Policy(String version, long maxTtlSeconds, Set<String> environments, List<PolicyRule> rules) {

    /** The version label of the policy used when no policy file is configured. */
    public static final String DENY_ALL_VERSION = "deny-all";

    public Policy {
        Objects.requireNonNull(version, "version");
        environments = Set.copyOf(environments);
        rules = List.copyOf(rules);
        if (maxTtlSeconds <= 0) {
            throw new IllegalArgumentException("maxTtlSeconds must be > 0");
        }
    }

    /** No environments and no rules: every request is denied. */
    public static Policy denyAll() {
        return new Policy(DENY_ALL_VERSION, 1, Set.of(), List.of());
    }
}
