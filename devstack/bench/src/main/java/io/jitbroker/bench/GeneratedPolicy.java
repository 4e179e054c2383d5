package io.jitbroker.bench;

import io.jitbroker.policy.domain.AccessQuery;
import io.jitbroker.policy.domain.ActiveGrant;
import io.jitbroker.policy.domain.Decision;
import io.jitbroker.policy.domain.Outcome;
import io.jitbroker.policy.domain.Policy;
import io.jitbroker.policy.domain.PolicyParser;
import io.jitbroker.policy.domain.ResourceAccess;
import io.jitbroker.policy.domain.WorkloadState;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A synthetic policy bundle of N rules, written as YAML and parsed by {@link PolicyParser} exactly
 * as the policy service loads a bundle, and the one request {@code bench policy} decides against it.
 *
 * <p>The bundle looks like an organisation's: N/20 teams (at least 4) of services under
 * {@code spiffe://dev.local/team-NN/} and a second trust domain, four environments, four resource
 * types (http, postgres, kafka, s3), rules for exact workloads (50 %), one-segment team patterns
 * (20 %), team subtrees (15 %) and workloads of the other trust domain (15 %), a CEL condition on
 * 90 % of them (six kinds of expression, each written with the rule's own team, service or numbers,
 * so few are alike), up to six organisation-wide guardrails (a deny of prod changes without a change
 * ticket, short API reads, a break-glass rule, ...) spread through the file, and the live-state
 * settings (separation, caps, break-glass TTL).
 *
 * <p>The request ({@value #TARGET_WORKLOAD} asking read and write on {@code http/payments-api} in
 * {@code prod} for 600 s with a change ticket, holding two grants) is approved by the LAST rule, the
 * worst case for a scan. Besides it, three rules can speak to it and have their conditions
 * evaluated, all false: the payments team's pattern rule, the prod change guardrail (a regex) and
 * the short-API-reads guardrail. Every other rule is for another workload, environment or resource
 * type.
 *
 * <p>Without conditions (to see what CEL costs) the rules are the same except that those three
 * name only actions the request does not ask for ({@code list}, {@code delete}), so that they are
 * still matched against it but grant or deny nothing: the same decision, no condition evaluated.
 */
final class GeneratedPolicy {

    static final String TARGET_WORKLOAD = "spiffe://dev.local/payments/deployer";
    static final String TARGET_ENVIRONMENT = "prod";
    static final String TARGET_RULE_ID = "payments-deployer-prod";
    static final List<String> ENVIRONMENTS = List.of("dev", "staging", "prod", "qa");
    static final List<String> RESOURCE_TYPES = List.of("http", "postgres", "kafka", "s3");
    /** Rules other than the target that apply to the target's workload, environment and resource type (bundles of 100+). */
    static final int OTHER_RULES_SPEAKING_TO_THE_REQUEST = 3;
    private static final int MAX_GUARDRAILS = 6;

    private GeneratedPolicy() {
    }

    /** The parsed bundle, as the service would load it. */
    static Policy policy(int ruleCount, boolean withConditions) {
        return PolicyParser.parse(yaml(ruleCount, withConditions), "generated:" + ruleCount + "-rules");
    }

    /**
     * The worst case: every one of the {@code ruleCount} rules applies to the request's workload
     * (exactly, by a one-segment pattern or by a subtree), environment and resource type, and each has a
     * condition of its own that must be evaluated; all are false but the last rule's, so the decision is
     * the same as {@link #policy}'s, after {@code ruleCount - 1} conditions. One in ten is a deny.
     */
    static Policy allMatchPolicy(int ruleCount) {
        return PolicyParser.parse(allMatchYaml(ruleCount), "generated:" + ruleCount + "-rules-all-match");
    }

    static String allMatchYaml(int ruleCount) {
        if (ruleCount < 1) {
            throw new IllegalArgumentException("a generated policy needs at least 1 rule, got " + ruleCount);
        }
        StringBuilder yaml = new StringBuilder()
                .append("version: \"bench-").append(ruleCount).append("-rules-all-match\"\n")
                .append("maxTtlSeconds: 3600\n")
                .append("environments: [").append(String.join(", ", ENVIRONMENTS)).append("]\n")
                .append("rules:\n");
        List<String> workloads = List.of(TARGET_WORKLOAD, "spiffe://dev.local/payments/*", "spiffe://dev.local/**");
        List<String> ids = List.of("payments-api", "payments-*", "*-api", "**");
        for (int i = 0; i < ruleCount - 1; i++) {
            String team = String.format(Locale.ROOT, "team-%02d", i % 50);
            String service = "svc-" + i;
            // condition(i, ...)'s fourth kind holds for this request: another, false one instead
            String condition = i % 6 == 4
                    ? "size(resource.actions) <= 2 && request.resourceCount <= " + (1 + i % 5) + " && resource.id == '"
                            + service + "-api'"
                    : condition(i, team, service);
            boolean deny = i % 10 == 9;
            appendRule(yaml, "all-match-" + i, deny ? "deny" : "allow", workloads.get(i % 3), List.of(TARGET_ENVIRONMENT),
                    "http", List.of(ids.get(i % 4)), List.of("read", "write"), condition, deny || i % 4 == 0 ? null : 900L, null);
        }
        appendTargetRule(yaml, true);
        return yaml.toString();
    }

    /** The request the benchmark decides: approved by {@value #TARGET_RULE_ID} alone. */
    static AccessQuery query() {
        return new AccessQuery(TARGET_WORKLOAD, TARGET_ENVIRONMENT,
                List.of(new ResourceAccess("http", "payments-api", List.of("read", "write"))), 600,
                OptionalLong.empty(), "deploy-payments-4711", "release 4.2.0 (CHG-1234)", false, Map.of("team", "payments"));
    }

    /** What the workload holds when it asks: a grant in prod for an earlier task and one in qa; not compromised. */
    static WorkloadState state() {
        return WorkloadState.holding(List.of(
                new ActiveGrant("req-4710", "deploy-payments-4710", "prod"),
                new ActiveGrant("req-4702", "nightly-report", "qa")));
    }

    /** Fails loudly if the decision is not the one the benchmark is meant to measure. */
    static void requireApprovedByTarget(Decision decision, int ruleCount) {
        if (decision.outcome() != Outcome.APPROVED || !decision.matchedRules().equals(List.of(TARGET_RULE_ID))) {
            throw new IllegalStateException("the " + ruleCount + "-rule policy does not approve the benchmark request by rule "
                    + TARGET_RULE_ID + " alone: " + decision);
        }
    }

    static String yaml(int ruleCount, boolean withConditions) {
        if (ruleCount < 3) {
            throw new IllegalArgumentException("a generated policy needs at least 3 rules, got " + ruleCount);
        }
        StringBuilder yaml = new StringBuilder()
                .append("version: \"bench-").append(ruleCount).append("-rules\"\n")
                .append("maxTtlSeconds: 3600\n")
                .append("environments: [").append(String.join(", ", ENVIRONMENTS)).append("]\n")
                .append("separation: [[prod, dev], [prod, staging]]\n")
                .append("environmentClaim: environment\n")
                .append("bindings: [{workload: \"spiffe://dev.local/prod-only/**\", environment: prod}]\n")
                .append("caps: {maxResourcesPerRequest: 10, maxActiveGrantsPerWorkload: 20, maxGrantsPerTask: 5}\n")
                .append("breakGlass: {maxTtlSeconds: 600}\n")
                .append("rules:\n");
        int guardrails = Math.max(1, Math.min(MAX_GUARDRAILS, ruleCount / 10));
        int fillers = ruleCount - guardrails - 2;
        int teams = Math.max(4, ruleCount / 20);
        int guardrailEvery = Math.max(1, fillers / guardrails);
        int nextGuardrail = 0;
        for (int i = 0; i < fillers; i++) {
            if (nextGuardrail < guardrails && i == nextGuardrail * guardrailEvery) {
                appendGuardrail(yaml, nextGuardrail++, withConditions);
            }
            if (i == fillers / 2) {
                appendPaymentsTeamRule(yaml, withConditions);
            }
            appendFillerRule(yaml, i, teams, withConditions);
        }
        while (nextGuardrail < guardrails) {
            appendGuardrail(yaml, nextGuardrail++, withConditions);
        }
        if (fillers == 0) {
            appendPaymentsTeamRule(yaml, withConditions);
        }
        appendTargetRule(yaml, withConditions);
        return yaml.toString();
    }

    private static void appendTargetRule(StringBuilder yaml, boolean withConditions) {
        appendRule(yaml, TARGET_RULE_ID, "allow", TARGET_WORKLOAD, List.of(TARGET_ENVIRONMENT), "http",
                List.of("payments-api"), List.of("read", "write"),
                withConditions ? "request.ttlSeconds <= 900 && request.justification.matches('CHG-[0-9]+')"
                        + " && 'team' in workload.claims && workload.claims['team'] == 'payments'" : null,
                900L, null);
    }

    /** Organisation-wide rules; the first and third speak to the benchmark request. */
    private static void appendGuardrail(StringBuilder yaml, int which, boolean withConditions) {
        switch (which) {
            case 0 -> appendRule(yaml, "prod-changes-need-ticket", "deny", "spiffe://dev.local/**", List.of("prod"), "http",
                    List.of("**"), withConditions ? List.of("write", "delete") : List.of("delete"),
                    withConditions ? "!request.justification.matches('(CHG|INC)-[0-9]+')" : null, null, null);
            case 1 -> appendRule(yaml, "staging-short-api-reads", "allow", "spiffe://dev.local/**", List.of("staging"), "http",
                    List.of("*-api"), List.of("read"), withConditions ? "request.ttlSeconds <= 300" : null, 300L, null);
            case 2 -> appendRule(yaml, "prod-short-api-reads", "allow", "spiffe://dev.local/**", List.of("prod"), "http",
                    List.of("*-api"), List.of(withConditions ? "read" : "list"),
                    withConditions ? "request.ttlSeconds <= 300 && request.justification != ''" : null, 300L, null);
            case 3 -> appendRule(yaml, "no-data-deletes-outside-prod", "deny", "spiffe://dev.local/**", List.of("dev", "qa"),
                    "postgres", List.of("**"), List.of("delete"), withConditions ? "request.breakGlass == false" : null, null, null);
            case 4 -> appendRule(yaml, "agents-read-only", "deny", "spiffe://dev.local/agents/**", ENVIRONMENTS, "http",
                    List.of("**"), List.of("write", "delete"), null, null, null);
            default -> appendRule(yaml, "sre-break-glass-reads", "allow", "spiffe://dev.local/sre/*", List.of("prod"), "postgres",
                    List.of("**"), List.of("select"), withConditions ? "size(request.justification) >= 10" : null, 600L,
                    "    breakGlass: true\n");
        }
    }

    /** The payments team's own pattern rule: speaks to the request, its condition (on-call only) is false. */
    private static void appendPaymentsTeamRule(StringBuilder yaml, boolean withConditions) {
        appendRule(yaml, "payments-team-oncall-reads", "allow", "spiffe://dev.local/payments/*", List.of("staging", "prod"), "http",
                List.of("payments-*"), List.of(withConditions ? "read" : "list"),
                withConditions ? "'oncall' in workload.claims && request.ttlSeconds <= 1800" : null, 1800L, null);
    }

    private static void appendFillerRule(StringBuilder yaml, int i, int teams, boolean withConditions) {
        String team = String.format(Locale.ROOT, "team-%02d", i % teams);
        String service = "svc-" + i;
        int kind = i % 20;
        String workload = kind < 10 ? "spiffe://dev.local/" + team + "/" + service
                : kind < 14 ? "spiffe://dev.local/" + team + "/*"
                : kind < 17 ? "spiffe://dev.local/" + team + "/**"
                : "spiffe://partner.example/" + team + "/" + service;
        List<String> environments = i % 3 == 0
                ? List.of(ENVIRONMENTS.get(i % 4), ENVIRONMENTS.get((i + 1) % 4))
                : List.of(ENVIRONMENTS.get(i % 4));
        String type = RESOURCE_TYPES.get((i / 4) % 4);
        String owner = kind < 10 || kind >= 17 ? service : team;
        List<String> ids = switch (type) {
            case "http" -> List.of(owner + (kind < 10 || kind >= 17 ? "-api" : "-*"));
            case "postgres" -> List.of(owner + (kind < 10 || kind >= 17 ? "-db" : "-*"));
            case "kafka" -> List.of(team + "." + (kind < 10 || kind >= 17 ? service : "*") + ".events");
            default -> List.of(team + "-artifacts/**");
        };
        List<String> actions = switch (type) {
            case "http" -> List.of("read", "write");
            case "postgres" -> List.of("select", "insert", "update");
            case "kafka" -> List.of("produce", "consume");
            default -> List.of("get", "put");
        };
        String condition = withConditions && i % 10 != 9 ? condition(i, team, service) : null;
        Long maxTtl = i % 4 == 0 ? null : (long) (300 * (1 + i % 6));
        appendRule(yaml, team + "-" + type + "-" + i, "allow", workload, environments, type, ids, actions, condition, maxTtl, null);
    }

    /** Six kinds of condition, each written with the rule's own team, service or numbers. */
    private static String condition(int i, String team, String service) {
        return switch (i % 6) {
            case 0 -> "request.ttlSeconds <= " + (300 + (i % 7) * 300) + " && request.taskId.startsWith('" + service + "-')";
            case 1 -> "request.taskId.startsWith('" + team + "-') && request.ttlSeconds <= " + (600 + (i % 5) * 600);
            case 2 -> "now.getHours() >= " + (i % 8) + " && now.getHours() < 22 && resource.id.startsWith('" + service + "')";
            case 3 -> "'team' in workload.claims && workload.claims['team'] == '" + team + "'";
            case 4 -> "size(resource.actions) <= 2 && request.resourceCount <= " + (1 + i % 5) + " && resource.id != '"
                    + service + "-legacy'";
            default -> "request.justification.matches('(CHG|INC)-[0-9]{" + (2 + i % 4) + ",}') && request.taskId.contains('"
                    + team + "')";
        };
    }

    private static void appendRule(StringBuilder yaml, String id, String effect, String workload, List<String> environments,
                                   String type, List<String> ids, List<String> actions, String condition, Long maxTtlSeconds,
                                   String extra) {
        yaml.append("  - id: ").append(id).append('\n')
                .append("    effect: ").append(effect).append('\n')
                .append("    workload: \"").append(workload).append("\"\n")
                .append("    environments: [").append(String.join(", ", environments)).append("]\n")
                .append("    resources:\n")
                .append("      - type: ").append(type).append('\n')
                .append("        ids: [").append(quoted(ids)).append("]\n")
                .append("        actions: [").append(String.join(", ", actions)).append("]\n");
        if (condition != null) {
            yaml.append("    condition: \"").append(condition).append("\"\n");
        }
        if (maxTtlSeconds != null) {
            yaml.append("    maxTtlSeconds: ").append(maxTtlSeconds).append('\n');
        }
        if (extra != null) {
            yaml.append(extra);
        }
    }

    private static String quoted(List<String> values) {
        return String.join(", ", values.stream().map(value -> "\"" + value + "\"").toList());
    }
}
