package io.jitbroker.policy.domain;

import io.jitbroker.policy.domain.RuleScan.ResourceKey;
import io.jitbroker.policy.domain.RuleScan.ResourceVerdict;
import io.jitbroker.policy.domain.RuleScan.RuleTrace;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides access requests against one policy bundle. Immutable and thread-safe: a new bundle gets
 * a new engine, which can be swapped in atomically.
 *
 * <p>Deny by default. In this order, the first that applies decides: a request that is not well
 * formed, a policy with no environments (NO_POLICY) or an unknown environment is denied; then the
 * workload's live state: compromised, bound to another environment (by identity claim or binding
 * rule), holding a grant in an environment separated from this one, over a cap (resources per
 * request, grants per workload, grants per task); then a break-glass request needs a justification
 * and a break-glass rule that covers it. Only then the rules: a request gets the actions that some
 * allow rule grants its workload in its environment (when the rule's condition holds), minus those
 * a matching deny rule takes away (deny overrides allow), for no longer than the tightest of what
 * was asked, the granting rules' caps, the policy's cap and, for break-glass, the break-glass cap.
 * When an action is granted only by rules that require approval, the decision is PENDING_APPROVAL
 * with the scope and TTL an approval would grant. Break-glass never bypasses the live-state checks.
 *
 * <p>The rules are indexed when the engine is built ({@link RuleIndex}), so a decision evaluates
 * only the rules that can apply to its workload, environment and resource types, in policy order.
 */
public final class PolicyEngine {

    private final Policy policy;
    private final Clock clock;
    private final List<PolicyRule> rules;
    /** Null when scanning every rule (the reference the index is tested against). */
    private final RuleIndex index;

    public PolicyEngine(Policy policy) {
        this(policy, Clock.systemUTC());
    }

    /** @param clock gives conditions their {@code now} */
    public PolicyEngine(Policy policy, Clock clock) {
        this(policy, clock, true);
    }

    /** @param indexed false: consider every rule for every request (a brute-force reference for tests) */
    PolicyEngine(Policy policy, Clock clock, boolean indexed) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rules = policy.rules();
        this.index = indexed ? RuleIndex.of(rules) : null;
    }

    public Policy policy() {
        return policy;
    }

    /** The decision for a workload with no grants that is not compromised. */
    public Decision decide(AccessQuery query) {
        return decide(query, WorkloadState.none());
    }

    public Decision decide(AccessQuery query, WorkloadState state) {
        Objects.requireNonNull(state, "state");
        Decision refused = refuseUndecidable(query);
        if (refused != null) {
            return refused;
        }
        Map<ResourceKey, SortedSet<String>> requested = mergeByResource(query.resources());
        refused = refuseBeforeRules(query, state, requested);
        if (refused != null) {
            return refused;
        }
        return decideByRules(query, requested, indexedCandidates(query), null);
    }

    /** The decision {@link #decide(AccessQuery)} would give, with what each rule made of the request. */
    public Explanation explain(AccessQuery query) {
        return explain(query, WorkloadState.none());
    }

    /**
     * The decision {@link #decide(AccessQuery, WorkloadState)} would give, with what each rule made
     * of the request; no rule evaluations when the request was refused before the rules.
     */
    public Explanation explain(AccessQuery query, WorkloadState state) {
        Objects.requireNonNull(state, "state");
        Decision refused = refuseUndecidable(query);
        if (refused != null) {
            return new Explanation(refused, List.of());
        }
        Map<ResourceKey, SortedSet<String>> requested = mergeByResource(query.resources());
        refused = refuseBeforeRules(query, state, requested);
        if (refused != null) {
            return new Explanation(refused, List.of());
        }
        RuleTrace[] traces = new RuleTrace[rules.size()];
        for (int i = 0; i < traces.length; i++) {
            traces[i] = new RuleTrace();
        }
        Decision decision = decideByRules(query, requested, everyApplicableRule(query, traces), traces);
        List<RuleEvaluation> evaluations = new ArrayList<>(rules.size());
        for (int i = 0; i < traces.length; i++) {
            PolicyRule rule = rules.get(i);
            evaluations.add(new RuleEvaluation(rule.id(), rule.effect(), traces[i].matched, traces[i].why()));
        }
        return new Explanation(decision, evaluations);
    }

    /**
     * Why this policy would no longer give a grant of this scope to the request it answered; empty
     * when it still would. Only the rules are re-run (with the request's own fields and the current
     * time): no live-state check, no approval, no TTL. Meant for when a new policy version arrives.
     *
     * @param original the request the grant answered
     * @param granted  what was granted
     */
    public Optional<String> whyNoLongerAllowed(AccessQuery original, List<ResourceAccess> granted) {
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(granted, "granted");
        if (policy.environments().isEmpty()) {
            return Optional.of("policy " + policy.version() + " defines no environments: it grants nothing");
        }
        if (!policy.environments().contains(original.environment())) {
            return Optional.of("environment '" + original.environment() + "' is no longer defined by policy "
                    + policy.version() + " (known: " + sorted(policy.environments()) + ")");
        }
        List<ResourceAccess> scanned = new ArrayList<>(original.resources());
        scanned.addAll(granted);
        AccessQuery query = original.withResources(scanned);
        RuleScan.Result result = RuleScan.run(rules, indexedCandidates(query), query, mergeByResource(scanned),
                clock.instant(), null);
        List<String> lost = new ArrayList<>();
        for (Map.Entry<ResourceKey, SortedSet<String>> grant : mergeByResource(granted).entrySet()) {
            ResourceVerdict verdict = result.verdictOn(grant.getKey());
            SortedSet<String> missing = new TreeSet<>(grant.getValue());
            missing.removeAll(verdict.effective);
            if (missing.isEmpty()) {
                continue;
            }
            SortedSet<String> denied = new TreeSet<>(missing);
            denied.retainAll(verdict.denied);
            SortedSet<String> notAllowed = new TreeSet<>(missing);
            notAllowed.removeAll(denied);
            if (!notAllowed.isEmpty()) {
                lost.add(notAllowed + " on " + grant.getKey().name() + " (no " + (original.breakGlass() ? "break-glass " : "")
                        + "allow rule grants it any more)");
            }
            if (!denied.isEmpty()) {
                lost.add(denied + " on " + grant.getKey().name() + " (denied by deny rule"
                        + (verdict.denyingRules.size() == 1 ? " " : "s ") + String.join(", ", verdict.denyingRules) + ")");
            }
        }
        if (lost.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("policy " + policy.version() + " no longer allows " + original.workloadId() + " in "
                + original.environment() + ": " + String.join("; ", lost));
    }

    /** A request that is not well formed, a policy without environments, an unknown environment; null when none. */
    private Decision refuseUndecidable(AccessQuery query) {
        List<String> problems = query.problems();
        if (!problems.isEmpty()) {
            return denied(query, DenyCode.NO_MATCHING_RULE, problems.stream().map(p -> "invalid request: " + p).toList());
        }
        if (policy.environments().isEmpty()) {
            return denied(query, DenyCode.NO_POLICY, "policy " + policy.version()
                    + " defines no environments: every request is denied");
        }
        if (!policy.environments().contains(query.environment())) {
            return denied(query, DenyCode.UNKNOWN_ENVIRONMENT, "environment '" + query.environment()
                    + "' is not defined by policy " + policy.version() + " (known: " + sorted(policy.environments()) + ")");
        }
        return null;
    }

    /** The live-state checks, then the break-glass prerequisites; null when the rules are to decide. */
    private Decision refuseBeforeRules(AccessQuery query, WorkloadState state, Map<ResourceKey, SortedSet<String>> requested) {
        Denial live = LiveStateChecks.check(policy, query, state, requested.size());
        if (live != null) {
            return denied(query, live.code(), live.reason());
        }
        if (query.breakGlass()) {
            return refuseBreakGlass(query, requested);
        }
        return null;
    }

    /** A break-glass request needs a reason and at least one break-glass rule that speaks to it. */
    private Decision refuseBreakGlass(AccessQuery query, Map<ResourceKey, SortedSet<String>> requested) {
        if (query.justification().isBlank()) {
            return denied(query, DenyCode.BREAK_GLASS_NOT_ALLOWED, "a break-glass request needs a justification");
        }
        RuleScan.Candidates candidates = indexedCandidates(query);
        for (Map.Entry<ResourceKey, SortedSet<String>> entry : requested.entrySet()) {
            ResourceKey resource = entry.getKey();
            for (int i : candidates.forType(resource.type())) {
                PolicyRule rule = rules.get(i);
                if (rule.effect() == Effect.ALLOW && rule.breakGlass()
                        && entry.getValue().stream().anyMatch(action -> rule.names(resource.type(), resource.id(), action))) {
                    return null;
                }
            }
        }
        return denied(query, DenyCode.BREAK_GLASS_NOT_ALLOWED, "no break-glass rule of policy " + policy.version()
                + " covers " + query.workloadId() + " in " + query.environment() + " for " + describe(requested));
    }

    private Decision decideByRules(AccessQuery query, Map<ResourceKey, SortedSet<String>> requested,
                                   RuleScan.Candidates candidates, RuleTrace[] traces) {
        RuleScan.Result result = RuleScan.run(rules, candidates, query, requested, clock.instant(), traces);
        List<PolicyRule> usedRules = result.usedRules();
        List<String> matchedRules = new ArrayList<>(usedRules.size());
        for (PolicyRule rule : usedRules) {
            matchedRules.add(rule.id());
        }
        if (result.granted.isEmpty()) {
            DenyCode code = result.anyAllowed ? DenyCode.DENIED_BY_RULE : DenyCode.NO_MATCHING_RULE;
            return Decision.denied(policy.version(), code, result.narrowingReasons, matchedRules, query.breakGlass());
        }
        TtlLimit ttl = ttlFor(query, usedRules);
        List<String> reasons = new ArrayList<>(result.grantReasons);
        reasons.addAll(result.narrowingReasons);
        if (ttl.seconds() < query.ttlSeconds()) {
            reasons.add("ttl narrowed from " + query.ttlSeconds() + " s to " + ttl.seconds() + " s by " + ttl.source());
        }
        OptionalLong heartbeat = heartbeatFor(query.heartbeatIntervalSeconds(), ttl.seconds(), reasons);
        if (query.breakGlass()) {
            reasons.add("break-glass request: decided by break-glass rules only");
        }
        Outcome outcome = Outcome.APPROVED;
        if (result.needsApproval) {
            outcome = Outcome.PENDING_APPROVAL;
            reasons.addAll(result.approvalReasons);
            reasons.add("pending approval: nothing is granted until a human approves; without an approval within "
                    + policy.approvalTimeoutSeconds() + " s the request expires");
        }
        return new Decision(outcome, result.granted, ttl.seconds(), heartbeat, reasons, matchedRules, policy.version(),
                Optional.empty(), query.breakGlass());
    }

    /** The rules that can apply to one resource type of this request, from the index. */
    private RuleScan.Candidates indexedCandidates(AccessQuery query) {
        if (index == null) {
            return everyApplicableRule(query, null);
        }
        return type -> index.candidates(query.environment(), type, query.workloadId());
    }

    /** Every rule that applies to the workload in the environment, noting in the traces why the others do not. */
    private RuleScan.Candidates everyApplicableRule(AccessQuery query, RuleTrace[] traces) {
        List<Integer> applicable = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            PolicyRule rule = rules.get(i);
            if (!rule.appliesTo(query.workloadId(), query.environment())) {
                if (traces != null) {
                    traces[i].note(whyNotApplicable(rule, query));
                }
            } else if (!rule.decides(query.breakGlass())) {
                if (traces != null) {
                    traces[i].note(rule.breakGlass()
                            ? "a break-glass rule: it applies only to break-glass requests"
                            : "not a break-glass rule: a break-glass request is decided by break-glass rules only");
                }
            } else {
                applicable.add(i);
            }
        }
        int[] candidates = applicable.stream().mapToInt(Integer::intValue).toArray();
        return type -> candidates;
    }

    private Decision denied(AccessQuery query, DenyCode code, String reason) {
        return denied(query, code, List.of(reason));
    }

    private Decision denied(AccessQuery query, DenyCode code, List<String> reasons) {
        return Decision.denied(policy.version(), code, reasons, List.of(), query.breakGlass());
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

    /** min(asked, the policy's cap, each granting rule's cap, the break-glass cap for break-glass), with what set it. */
    private TtlLimit ttlFor(AccessQuery query, List<PolicyRule> grantingRules) {
        TtlLimit limit = new TtlLimit(query.ttlSeconds(), "the request");
        if (policy.maxTtlSeconds() < limit.seconds()) {
            limit = new TtlLimit(policy.maxTtlSeconds(), "the policy maximum");
        }
        if (query.breakGlass() && policy.breakGlassMaxTtlSeconds() < limit.seconds()) {
            limit = new TtlLimit(policy.breakGlassMaxTtlSeconds(), "the break-glass maximum");
        }
        for (PolicyRule rule : grantingRules) {
            if (rule.effect() == Effect.ALLOW && rule.maxTtlSeconds().isPresent() && rule.maxTtlSeconds().getAsLong() < limit.seconds()) {
                limit = new TtlLimit(rule.maxTtlSeconds().getAsLong(), "rule " + rule.id());
            }
        }
        return limit;
    }

    /** Requested resources keyed and sorted by type then id; the same resource asked twice is asked once. */
    static Map<ResourceKey, SortedSet<String>> mergeByResource(List<ResourceAccess> resources) {
        Map<ResourceKey, SortedSet<String>> merged = new TreeMap<>();
        for (ResourceAccess resource : resources) {
            merged.computeIfAbsent(new ResourceKey(resource.type(), resource.id()), key -> new TreeSet<>())
                    .addAll(resource.actions());
        }
        return merged;
    }

    private static String describe(Map<ResourceKey, SortedSet<String>> requested) {
        List<String> parts = new ArrayList<>();
        requested.forEach((resource, actions) -> parts.add(actions + " on " + resource.name()));
        return String.join(", ", parts);
    }

    private static String sorted(Set<String> values) {
        return String.join(", ", new TreeSet<>(values));
    }

    private record TtlLimit(long seconds, String source) {
    }
}
