package io.jitbroker.policy.domain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A loaded, validated policy bundle. Deny by default: only what a rule allows can be granted.
 *
 * @param version                 an opaque label copied into every decision, so each decision can be traced to the
 *                                policy that made it
 * @param maxTtlSeconds           the global cap on any grant's lifetime
 * @param environments            the environments this policy knows; a request for any other environment is denied
 * @param rules                   allow and deny rules, in file order
 * @param separation              environments that must never share privilege
 * @param environmentClaim        the identity-token claim that, when the caller's token has it, binds the workload to
 *                                the environment it names; empty when the policy reads no such claim
 * @param bindings                workloads bound to one environment by rule
 * @param caps                    limits on resources per request and grants held
 * @param breakGlassMaxTtlSeconds the cap on a break-glass grant's lifetime, at most {@value #BREAK_GLASS_TTL_CEILING_SECONDS}
 * @param approvalTimeoutSeconds  how long a PENDING_APPROVAL request waits for a human before it is closed
 */
public record Policy(String version, long maxTtlSeconds, Set<String> environments, List<PolicyRule> rules,
                     Set<EnvironmentPair> separation, Optional<String> environmentClaim, List<EnvironmentBinding> bindings,
                     Caps caps, long breakGlassMaxTtlSeconds, long approvalTimeoutSeconds) {

    /** The version label of the policy used when no policy file is configured. */
    public static final String DENY_ALL_VERSION = "deny-all";
    public static final long DEFAULT_BREAK_GLASS_TTL_SECONDS = 900;
    /** No bundle may let a break-glass grant live longer than this. */
    public static final long BREAK_GLASS_TTL_CEILING_SECONDS = 3600;
    public static final long DEFAULT_APPROVAL_TIMEOUT_SECONDS = 900;

    public Policy {
        Objects.requireNonNull(version, "version");
        environments = Set.copyOf(environments);
        rules = List.copyOf(rules);
        separation = Set.copyOf(separation);
        Objects.requireNonNull(environmentClaim, "environmentClaim");
        bindings = List.copyOf(bindings);
        Objects.requireNonNull(caps, "caps");
        if (maxTtlSeconds <= 0) {
            throw new IllegalArgumentException("maxTtlSeconds must be > 0");
        }
        if (breakGlassMaxTtlSeconds <= 0 || breakGlassMaxTtlSeconds > BREAK_GLASS_TTL_CEILING_SECONDS) {
            throw new IllegalArgumentException("breakGlass.maxTtlSeconds must be between 1 and " + BREAK_GLASS_TTL_CEILING_SECONDS
                    + ", got " + breakGlassMaxTtlSeconds);
        }
        if (approvalTimeoutSeconds <= 0) {
            throw new IllegalArgumentException("approvalTimeoutSeconds must be > 0");
        }
        for (EnvironmentPair pair : separation) {
            requireDeclared(environments, pair.first(), "separation");
            requireDeclared(environments, pair.second(), "separation");
        }
        for (EnvironmentBinding binding : bindings) {
            requireDeclared(environments, binding.environment(), "bindings");
        }
        for (PolicyRule rule : rules) {
            for (String environment : rule.environments()) {
                requireDeclared(environments, environment, "rule " + rule.id());
            }
        }
    }

    /** Rules only, with the defaults for everything else: no separation, bindings or caps. */
    public Policy(String version, long maxTtlSeconds, Set<String> environments, List<PolicyRule> rules) {
        this(version, maxTtlSeconds, environments, rules, Set.of(), Optional.empty(), List.of(), Caps.none(),
                DEFAULT_BREAK_GLASS_TTL_SECONDS, DEFAULT_APPROVAL_TIMEOUT_SECONDS);
    }

    /** No environments and no rules: every request is denied. */
    public static Policy denyAll() {
        return new Policy(DENY_ALL_VERSION, 1, Set.of(), List.of());
    }

    /** Whether a workload holding a grant in one of these environments must not get one in the other. */
    public boolean separates(String one, String other) {
        for (EnvironmentPair pair : separation) {
            if (pair.joins(one, other)) {
                return true;
            }
        }
        return false;
    }

    private static void requireDeclared(Set<String> environments, String environment, String where) {
        if (!environments.contains(environment)) {
            throw new IllegalArgumentException(where + ": environment '" + environment + "' is not among the policy's environments "
                    + new TreeSet<>(environments));
        }
    }
}
