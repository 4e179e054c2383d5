package io.jitbroker.policy.domain;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
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
 * that some allow rule grants its workload in its environment (when the rule's condition holds),
 * minus those a matching deny rule takes away (deny overrides allow), for no longer than the
 * tightest cap of the rules that granted them, the policy's global cap and what was asked.
 *
 * <p>Conditions are evaluated per requested resource, only for rules whose workload, environment
 * and resources already match. A condition that fails or does not give a bool fails closed: an
 * allow rule does not grant, a deny rule does deny; either way the decision's reasons say so.
 */
public final class PolicyEngine {

    private static final Comparator<ResourceKey> BY_TYPE_THEN_ID =
            Comparator.comparing(ResourceKey::type).thenComparing(ResourceKey::id);

    private final Policy policy;
    private final Clock clock;

    public PolicyEngine(Policy policy) {
        this(policy, Clock.systemUTC());
    }

    /** @param clock gives conditions their {@code now} */
    public PolicyEngine(Policy policy, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Policy policy() {
        return policy;
    }

    public Decision decide(AccessQuery query) {
        return evaluate(query, null);
    }

    /** The decision {@link #decide} would give, with what each rule made of the request. */
    public Explanation explain(AccessQuery query) {
        List<PolicyRule> rules = policy.rules();
        RuleTrace[] traces = new RuleTrace[rules.size()];
        for (int i = 0; i < traces.length; i++) {
            traces[i] = new RuleTrace();
        }
        Decision decision = evaluate(query, traces);
        boolean rulesConsulted = query.problems().isEmpty() && policy.environments().contains(query.environment());
        if (!rulesConsulted) {
            return new Explanation(decision, List.of());
        }
        List<RuleEvaluation> evaluations = new ArrayList<>(rules.size());
        for (int i = 0; i < traces.length; i++) {
            PolicyRule rule = rules.get(i);
            evaluations.add(new RuleEvaluation(rule.id(), rule.effect(), traces[i].matched, traces[i].why()));
        }
        return new Explanation(decision, evaluations);
    }

    /** @param traces one per policy rule when explaining; null when only deciding (nothing extra is built) */
    private Decision evaluate(AccessQuery query, RuleTrace[] traces) {
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
        List<PolicyRule> rules = policy.rules();
        boolean[] applies = new boolean[rules.size()];
        for (int i = 0; i < applies.length; i++) {
            PolicyRule rule = rules.get(i);
            applies[i] = rule.appliesTo(query.workloadId(), query.environment());
            if (!applies[i] && traces != null) {
                traces[i].note(whyNotApplicable(rule, query));
            }
        }

        Map<ResourceKey, SortedSet<String>> requested = mergeByResource(query.resources());
        ConditionVariables variables = null;
        List<ResourceAccess> granted = new ArrayList<>();
        List<String> grantReasons = new ArrayList<>();
        List<String> narrowingReasons = new ArrayList<>();
        boolean[] used = new boolean[rules.size()];
        for (Map.Entry<ResourceKey, SortedSet<String>> entry : requested.entrySet()) {
            ResourceKey resource = entry.getKey();
            SortedSet<String> asked = entry.getValue();
            boolean resourceVariableSet = false;
            SortedSet<String> allowed = new TreeSet<>();
            SortedSet<String> denied = new TreeSet<>();
            List<Integer> allowingRules = new ArrayList<>();
            List<Set<String>> allowedByRule = new ArrayList<>();
            List<String> denyingRules = new ArrayList<>();
            for (int i = 0; i < applies.length; i++) {
                if (!applies[i]) {
                    continue;
                }
                PolicyRule rule = rules.get(i);
                if (!rule.covers(resource.type(), resource.id())) {
                    continue;
                }
                Set<String> named = rule.actionsOn(resource.type(), resource.id());
                named.retainAll(asked);
                if (named.isEmpty()) {
                    continue;
                }
                if (rule.condition().isPresent()) {
                    if (variables == null) {
                        variables = ConditionVariables.of(query, requested.size(), clock.instant());
                    }
                    if (!resourceVariableSet) {
                        variables.resource(resource.type(), resource.id(), List.copyOf(asked));
                        resourceVariableSet = true;
                    }
                    ConditionResult result = rule.condition().get().evaluate(variables);
                    if (result.status() == ConditionResult.Status.FALSE) {
                        if (traces != null) {
                            traces[i].note("condition false on " + resource.name());
                        }
                        continue;
                    }
                    if (result.status() == ConditionResult.Status.ERROR) {
                        String failure = "the condition of " + rule.effect().label() + " rule " + rule.id()
                                + " could not be evaluated on " + resource.name() + " (" + result.error() + "); "
                                + (rule.effect() == Effect.ALLOW ? "it grants nothing there" : "it denies there")
                                + " (fail closed)";
                        narrowingReasons.add(failure);
                        if (traces != null) {
                            traces[i].note(failure);
                        }
                        if (rule.effect() == Effect.ALLOW) {
                            continue;
                        }
                    }
                }
                if (rule.effect() == Effect.ALLOW) {
                    allowed.addAll(named);
                    allowingRules.add(i);
                    allowedByRule.add(named);
                } else {
                    denied.addAll(named);
                    denyingRules.add(rule.id());
                    used[i] = true;
                }
                if (traces != null) {
                    traces[i].matched = true;
                    traces[i].note((rule.effect() == Effect.ALLOW ? "allows " : "denies ") + named
                            + " on " + resource.name());
                }
            }
            if (!denied.isEmpty()) {
                narrowingReasons.add("denied " + denied + " on " + resource.name() + " by deny rule"
                        + (denyingRules.size() == 1 ? " " : "s ") + String.join(", ", denyingRules));
            }
            SortedSet<String> effective = new TreeSet<>(allowed);
            effective.removeAll(denied);
            if (effective.isEmpty()) {
                if (allowed.isEmpty()) {
                    narrowingReasons.add("no allow rule grants " + query.workloadId() + " any of " + asked + " on "
                            + resource.name() + " in " + query.environment());
                }
                continue;
            }
            List<String> grantingRules = new ArrayList<>();
            for (int r = 0; r < allowingRules.size(); r++) {
                if (!Collections.disjoint(allowedByRule.get(r), effective)) {
                    int index = allowingRules.get(r);
                    grantingRules.add(rules.get(index).id());
                    used[index] = true;
                }
            }
            granted.add(new ResourceAccess(resource.type(), resource.id(), List.copyOf(effective)));
            grantReasons.add("granted " + effective + " on " + resource.name() + " by " + String.join(", ", grantingRules));
            SortedSet<String> refused = new TreeSet<>(asked);
            refused.removeAll(effective);
            if (!refused.isEmpty()) {
                narrowingReasons.add((refused.size() == 1 ? "action " : "actions ") + String.join(", ", refused)
                        + " on " + resource.name() + " not allowed; granted " + String.join(", ", effective));
            }
        }
        List<PolicyRule> rulesInPolicyOrder = new ArrayList<>();
        for (int i = 0; i < used.length; i++) {
            if (used[i]) {
                rulesInPolicyOrder.add(rules.get(i));
            }
        }
        List<String> matchedRules = rulesInPolicyOrder.stream().map(PolicyRule::id).toList();
        if (granted.isEmpty()) {
            return new Decision(Outcome.DENIED, List.of(), 0, OptionalLong.empty(), narrowingReasons, matchedRules,
                    policy.version());
        }

        TtlLimit ttl = ttlFor(query.ttlSeconds(), rulesInPolicyOrder);
        List<String> reasons = new ArrayList<>(grantReasons);
        reasons.addAll(narrowingReasons);
        if (ttl.seconds() < query.ttlSeconds()) {
            reasons.add("ttl narrowed from " + query.ttlSeconds() + " s to " + ttl.seconds() + " s by " + ttl.source());
        }
        OptionalLong heartbeat = heartbeatFor(query.heartbeatIntervalSeconds(), ttl.seconds(), reasons);
        return new Decision(Outcome.APPROVED, granted, ttl.seconds(), heartbeat, reasons, matchedRules, policy.version());
    }

    private static String whyNotApplicable(PolicyRule rule, AccessQuery query) {
        List<String> why = new ArrayList<>(2);
        if (!rule.workload().matches(query.workloadId())) {
            why.add("workload " + query.workloadId() + " does not match " + rule.workload().text());
        }
        if (!rule.environments().contains(query.environment())) {
            why.add("environment " + query.environment() + " is not one of [" + sorted(rule.environments()) + "]");
        }
        return String.join("; ", why);
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
            if (rule.effect() == Effect.ALLOW && rule.maxTtlSeconds().isPresent() && rule.maxTtlSeconds().getAsLong() < limit.seconds()) {
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

    /** What one rule did with the request being explained. */
    private static final class RuleTrace {
        private final List<String> notes = new ArrayList<>(2);
        private boolean matched;

        void note(String note) {
            notes.add(note);
        }

        String why() {
            return notes.isEmpty() ? "names none of the requested actions on the requested resources" : String.join("; ", notes);
        }
    }
}
