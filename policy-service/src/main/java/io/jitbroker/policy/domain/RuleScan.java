package io.jitbroker.policy.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One pass of a policy's rules over the resources of one request: for each requested resource,
 * the actions that some allow rule grants (its workload, environment, resource and condition
 * match) minus those a matching deny rule names. Break-glass requests are decided by break-glass
 * allow rules only, other requests by the other allow rules; deny rules apply to both. A condition
 * that fails or does not give a bool fails closed: an allow rule does not grant, a deny rule does
 * deny; either way a reason says so.
 */
final class RuleScan {

    /** Where the candidate rules for a resource type come from: the index, or every applicable rule (explain). */
    interface Candidates {
        int[] forType(String resourceType);
    }

    private final List<PolicyRule> rules;
    private final AccessQuery query;
    private final Map<ResourceKey, SortedSet<String>> requested;
    private final Instant now;
    /** One per rule when explaining; null when deciding, so nothing extra is built. */
    private final RuleTrace[] traces;
    private ConditionVariables variables;
    /**
     * The results of the conditions already evaluated on the current resource. A condition reads
     * only the request, the workload, the resource and {@code now}, all fixed for one resource of
     * one decision, so rules that share an expression (the parser gives them one Condition) need it
     * evaluated once.
     */
    private final Map<Condition, ConditionResult> evaluated = new IdentityHashMap<>();

    private RuleScan(List<PolicyRule> rules, AccessQuery query, Map<ResourceKey, SortedSet<String>> requested, Instant now,
                     RuleTrace[] traces) {
        this.rules = rules;
        this.query = query;
        this.requested = requested;
        this.now = now;
        this.traces = traces;
    }

    static Result run(List<PolicyRule> rules, Candidates candidates, AccessQuery query,
                      Map<ResourceKey, SortedSet<String>> requested, Instant now, RuleTrace[] traces) {
        return new RuleScan(rules, query, requested, now, traces).scan(candidates);
    }

    private Result scan(Candidates candidates) {
        Result result = new Result();
        String lastType = null;
        int[] typeCandidates = null;
        for (Map.Entry<ResourceKey, SortedSet<String>> entry : requested.entrySet()) {
            ResourceKey resource = entry.getKey();
            // Resources are sorted by type, so each type's candidates are looked up once.
            if (!resource.type().equals(lastType)) {
                lastType = resource.type();
                typeCandidates = candidates.forType(lastType);
            }
            result.add(decideResource(resource, entry.getValue(), typeCandidates, result));
        }
        return result;
    }

    private ResourceVerdict decideResource(ResourceKey resource, SortedSet<String> asked, int[] candidates, Result result) {
        ResourceVerdict verdict = new ResourceVerdict(resource, asked);
        boolean resourceVariableSet = false;
        evaluated.clear();
        for (int i : candidates) {
            PolicyRule rule = rules.get(i);
            if (!rule.decides(query.breakGlass()) || !namesAny(rule, resource, asked)) {
                continue;
            }
            if (rule.condition().isPresent()) {
                if (variables == null) {
                    variables = ConditionVariables.of(query, requested.size(), now);
                }
                if (!resourceVariableSet) {
                    variables.resource(resource.type(), resource.id(), List.copyOf(asked));
                    resourceVariableSet = true;
                }
                ConditionResult condition = evaluate(rule.condition().get());
                if (condition.status() == ConditionResult.Status.FALSE) {
                    if (traces != null) {
                        traces[i].note("condition false on " + resource.name());
                    }
                    continue;
                }
                if (condition.status() == ConditionResult.Status.ERROR) {
                    String failure = "the condition of " + rule.effect().label() + " rule " + rule.id()
                            + " could not be evaluated on " + resource.name() + " (" + condition.error() + "); "
                            + (rule.effect() == Effect.ALLOW ? "it grants nothing there" : "it denies there")
                            + " (fail closed)";
                    result.narrowingReasons.add(failure);
                    if (traces != null) {
                        traces[i].note(failure);
                    }
                    if (rule.effect() == Effect.ALLOW) {
                        continue;
                    }
                }
            }
            SortedSet<String> named = named(rule, resource, asked);
            if (rule.effect() == Effect.ALLOW) {
                verdict.allow(i, rule, named);
            } else {
                verdict.deny(rule, named);
                result.used.set(i);
            }
            if (traces != null) {
                traces[i].matched = true;
                traces[i].note((rule.effect() == Effect.ALLOW ? "allows " : "denies ") + named + " on " + resource.name());
            }
        }
        return verdict;
    }

    private ConditionResult evaluate(Condition condition) {
        ConditionResult result = evaluated.get(condition);
        if (result == null) {
            result = condition.evaluate(variables);
            evaluated.put(condition, result);
        }
        return result;
    }

    /** Whether this rule names any requested action on this resource; allocates nothing. */
    private static boolean namesAny(PolicyRule rule, ResourceKey resource, SortedSet<String> asked) {
        for (ResourceRule resourceRule : rule.resources()) {
            if (resourceRule.covers(resource.type(), resource.id())) {
                for (String action : asked) {
                    if (resourceRule.actions().contains(action)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The requested actions this rule names on this resource. */
    private static SortedSet<String> named(PolicyRule rule, ResourceKey resource, SortedSet<String> asked) {
        SortedSet<String> named = new TreeSet<>();
        for (ResourceRule resourceRule : rule.resources()) {
            if (resourceRule.covers(resource.type(), resource.id())) {
                for (String action : asked) {
                    if (resourceRule.actions().contains(action)) {
                        named.add(action);
                    }
                }
            }
        }
        return named;
    }

    /** What the rules made of one requested resource. */
    static final class ResourceVerdict {
        final ResourceKey resource;
        final SortedSet<String> asked;
        final SortedSet<String> allowed = new TreeSet<>();
        final SortedSet<String> denied = new TreeSet<>();
        /** Allowed without a human approval. */
        final SortedSet<String> allowedFreely = new TreeSet<>();
        final List<Integer> allowingRules = new ArrayList<>(2);
        final List<SortedSet<String>> allowedByRule = new ArrayList<>(2);
        final List<String> denyingRules = new ArrayList<>(1);
        SortedSet<String> effective;

        ResourceVerdict(ResourceKey resource, SortedSet<String> asked) {
            this.resource = resource;
            this.asked = asked;
        }

        void allow(int index, PolicyRule rule, SortedSet<String> named) {
            allowed.addAll(named);
            allowingRules.add(index);
            allowedByRule.add(named);
            if (!rule.requireApproval()) {
                allowedFreely.addAll(named);
            }
        }

        void deny(PolicyRule rule, SortedSet<String> named) {
            denied.addAll(named);
            denyingRules.add(rule.id());
        }

        /** The effective actions that only rules requiring approval grant. */
        SortedSet<String> needingApproval() {
            SortedSet<String> needing = new TreeSet<>(effective);
            needing.removeAll(allowedFreely);
            return needing;
        }
    }

    /** What the rules made of the whole request. */
    final class Result {
        final List<ResourceVerdict> verdicts = new ArrayList<>();
        final List<ResourceAccess> granted = new ArrayList<>();
        final List<String> grantReasons = new ArrayList<>();
        final List<String> narrowingReasons = new ArrayList<>();
        final List<String> approvalReasons = new ArrayList<>();
        /** The rules (by position in the policy) that granted or took away something. */
        final BitSet used = new BitSet();
        /** Some allow rule allowed something, before deny rules. */
        boolean anyAllowed;
        /** Some effective action is granted only by rules that require approval. */
        boolean needsApproval;


        private void add(ResourceVerdict verdict) {
            verdicts.add(verdict);
            ResourceKey resource = verdict.resource;
            if (!verdict.allowed.isEmpty()) {
                anyAllowed = true;
            }
            if (!verdict.denied.isEmpty()) {
                narrowingReasons.add("denied " + verdict.denied + " on " + resource.name() + " by deny rule"
                        + (verdict.denyingRules.size() == 1 ? " " : "s ") + String.join(", ", verdict.denyingRules));
            }
            SortedSet<String> effective = new TreeSet<>(verdict.allowed);
            effective.removeAll(verdict.denied);
            verdict.effective = effective;
            if (effective.isEmpty()) {
                if (verdict.allowed.isEmpty()) {
                    narrowingReasons.add("no " + (query.breakGlass() ? "break-glass " : "") + "allow rule grants "
                            + query.workloadId() + " any of " + verdict.asked + " on " + resource.name() + " in "
                            + query.environment());
                }
                return;
            }
            List<String> grantingRules = new ArrayList<>(verdict.allowingRules.size());
            for (int r = 0; r < verdict.allowingRules.size(); r++) {
                if (!Collections.disjoint(verdict.allowedByRule.get(r), effective)) {
                    int index = verdict.allowingRules.get(r);
                    grantingRules.add(rules.get(index).id());
                    used.set(index);
                }
            }
            granted.add(new ResourceAccess(resource.type(), resource.id(), List.copyOf(effective)));
            grantReasons.add("granted " + effective + " on " + resource.name() + " by " + String.join(", ", grantingRules));
            SortedSet<String> refused = new TreeSet<>(verdict.asked);
            refused.removeAll(effective);
            if (!refused.isEmpty()) {
                narrowingReasons.add((refused.size() == 1 ? "action " : "actions ") + String.join(", ", refused)
                        + " on " + resource.name() + " not allowed; granted " + String.join(", ", effective));
            }
            SortedSet<String> needing = verdict.needingApproval();
            if (!needing.isEmpty()) {
                needsApproval = true;
                List<String> approvalRules = new ArrayList<>();
                for (int r = 0; r < verdict.allowingRules.size(); r++) {
                    PolicyRule rule = rules.get(verdict.allowingRules.get(r));
                    if (rule.requireApproval() && !Collections.disjoint(verdict.allowedByRule.get(r), needing)) {
                        approvalRules.add(rule.id());
                    }
                }
                approvalReasons.add(needing + " on " + resource.name() + " need" + (needing.size() == 1 ? "s" : "")
                        + " a human approval (rule" + (approvalRules.size() == 1 ? " " : "s ") + String.join(", ", approvalRules) + ")");
            }
        }

        /** The rules that decided, in policy order. */
        List<PolicyRule> usedRules() {
            List<PolicyRule> usedRules = new ArrayList<>(used.cardinality());
            for (int i = used.nextSetBit(0); i >= 0; i = used.nextSetBit(i + 1)) {
                usedRules.add(rules.get(i));
            }
            return usedRules;
        }

        ResourceVerdict verdictOn(ResourceKey resource) {
            for (ResourceVerdict verdict : verdicts) {
                if (verdict.resource.equals(resource)) {
                    return verdict;
                }
            }
            return null;
        }
    }

    /** A requested resource, ordered by type then id. */
    record ResourceKey(String type, String id) implements Comparable<ResourceKey> {
        String name() {
            return type + "/" + id;
        }

        @Override
        public int compareTo(ResourceKey other) {
            int byType = type.compareTo(other.type);
            return byType != 0 ? byType : id.compareTo(other.id);
        }
    }

    /** What one rule did with the request being explained. */
    static final class RuleTrace {
        private final List<String> notes = new ArrayList<>(2);
        boolean matched;

        void note(String note) {
            notes.add(note);
        }

        String why() {
            return notes.isEmpty() ? "names none of the requested actions on the requested resources" : String.join("; ", notes);
        }
    }
}
