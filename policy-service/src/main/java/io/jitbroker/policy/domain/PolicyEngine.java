package io.jitbroker.policy.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides access requests against one policy. Deny by default: a request gets only the actions
 * that some rule allows its workload in its environment, for no longer than the tightest cap of
 * the rules that granted them, the policy's global cap and what was asked.
 */
public final class PolicyEngine {

    private static final Comparator<ResourceKey> BY_TYPE_THEN_ID =
            Comparator.comparing(ResourceKey::type).thenComparing(ResourceKey::id);

    private final Policy policy;

    public PolicyEngine(Policy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public Policy policy() {
        return policy;
    }

    public Decision decide(AccessQuery query) {
        List<String> problems = query.problems();
        if (!problems.isEmpty()) {
            return Decision.denied(policy.version(), problems.stream().map(p -> "invalid request: " + p).toList());
        }
        if (policy.environments().isEmpty()) {
            return Decision.denied(policy.version(), List.of("policy " + policy.version()
                    + " defines no environments: every request is denied"));
        }
        if (!policy.environments().contains(query.environment())) {
            return Decision.denied(policy.version(), List.of("environment '" + query.environment()
                    + "' is not defined by policy " + policy.version() + " (known: " + sorted(policy.environments()) + ")"));
        }
        List<PolicyRule> applicable = policy.rules().stream()
                .filter(rule -> rule.appliesTo(query.workloadId(), query.environment()))
                .toList();

        List<ResourceAccess> granted = new ArrayList<>();
        List<String> grantReasons = new ArrayList<>();
        List<String> narrowingReasons = new ArrayList<>();
        Set<PolicyRule> usedRules = new LinkedHashSet<>();
        for (Map.Entry<ResourceKey, SortedSet<String>> requested : mergeByResource(query.resources()).entrySet()) {
            ResourceKey resource = requested.getKey();
            SortedSet<String> asked = requested.getValue();
            SortedSet<String> allowed = new TreeSet<>();
            List<String> grantingRules = new ArrayList<>();
            for (PolicyRule rule : applicable) {
                Set<String> fromRule = new TreeSet<>(rule.allowedActions(resource.type(), resource.id()));
                fromRule.retainAll(asked);
                if (!fromRule.isEmpty()) {
                    allowed.addAll(fromRule);
                    grantingRules.add(rule.id());
                    usedRules.add(rule);
                }
            }
            if (allowed.isEmpty()) {
                narrowingReasons.add("no allow rule grants " + query.workloadId() + " any of " + asked + " on "
                        + resource.name() + " in " + query.environment());
                continue;
            }
            granted.add(new ResourceAccess(resource.type(), resource.id(), List.copyOf(allowed)));
            grantReasons.add("granted " + allowed + " on " + resource.name() + " by " + String.join(", ", grantingRules));
            SortedSet<String> refused = new TreeSet<>(asked);
            refused.removeAll(allowed);
            if (!refused.isEmpty()) {
                narrowingReasons.add((refused.size() == 1 ? "action " : "actions ") + String.join(", ", refused)
                        + " on " + resource.name() + " not allowed; granted " + String.join(", ", allowed));
            }
        }
        if (granted.isEmpty()) {
            return Decision.denied(policy.version(), narrowingReasons);
        }

        List<PolicyRule> rulesInPolicyOrder = policy.rules().stream().filter(usedRules::contains).toList();
        TtlLimit ttl = ttlFor(query.ttlSeconds(), rulesInPolicyOrder);
        List<String> reasons = new ArrayList<>(grantReasons);
        reasons.addAll(narrowingReasons);
        if (ttl.seconds() < query.ttlSeconds()) {
            reasons.add("ttl narrowed from " + query.ttlSeconds() + " s to " + ttl.seconds() + " s by " + ttl.source());
        }
        OptionalLong heartbeat = heartbeatFor(query.heartbeatIntervalSeconds(), ttl.seconds(), reasons);
        return new Decision(Outcome.APPROVED, granted, ttl.seconds(), heartbeat, reasons,
                rulesInPolicyOrder.stream().map(PolicyRule::id).toList(), policy.version());
    }

    /**
     * The heartbeat asked for, unchanged, unless it is longer than the grant lives: then it is the
     * granted TTL (a longer one could never be missed, so it would check nothing), with a reason.
     */
    private static OptionalLong heartbeatFor(OptionalLong asked, long grantedTtlSeconds, List<String> reasons) {
        if (asked.isEmpty() || asked.getAsLong() <= grantedTtlSeconds) {
            return asked;
        }
        reasons.add("heartbeat interval narrowed from " + asked.getAsLong() + " s to " + grantedTtlSeconds
                + " s: it cannot exceed the granted ttl");
        return OptionalLong.of(grantedTtlSeconds);
    }

    /** min(asked, the policy's cap, each granting rule's cap), with what set it. */
    private TtlLimit ttlFor(long asked, List<PolicyRule> grantingRules) {
        TtlLimit limit = new TtlLimit(asked, "the request");
        if (policy.maxTtlSeconds() < limit.seconds()) {
            limit = new TtlLimit(policy.maxTtlSeconds(), "the policy maximum");
        }
        for (PolicyRule rule : grantingRules) {
            if (rule.maxTtlSeconds().isPresent() && rule.maxTtlSeconds().getAsLong() < limit.seconds()) {
                limit = new TtlLimit(rule.maxTtlSeconds().getAsLong(), "rule " + rule.id());
            }
        }
        return limit;
    }

    /** Requested resources keyed and sorted by type then id; the same resource asked twice is asked once. */
    private static Map<ResourceKey, SortedSet<String>> mergeByResource(List<ResourceAccess> resources) {
        Map<ResourceKey, SortedSet<String>> merged = new TreeMap<>(BY_TYPE_THEN_ID);
        for (ResourceAccess resource : resources) {
            merged.computeIfAbsent(new ResourceKey(resource.type(), resource.id()), key -> new TreeSet<>())
                    .addAll(resource.actions());
        }
        return merged;
    }

    private static String sorted(Set<String> values) {
        return String.join(", ", new TreeSet<>(values));
    }

    private record ResourceKey(String type, String id) {
        String name() {
            return type + "/" + id;
        }
    }

    private record TtlLimit(long seconds, String source) {
    }
}
