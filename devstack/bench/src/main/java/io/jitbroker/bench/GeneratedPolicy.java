package io.jitbroker.bench;

import io.jitbroker.policy.domain.AccessQuery;
import io.jitbroker.policy.domain.Decision;
import io.jitbroker.policy.domain.Outcome;
import io.jitbroker.policy.domain.Policy;
import io.jitbroker.policy.domain.PolicyParser;
import io.jitbroker.policy.domain.ResourceAccess;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * A synthetic policy of N rules, written as YAML and parsed by {@link PolicyParser} exactly as the
 * policy service loads its file, and the one request {@code bench policy} decides against it.
 *
 * <p>The request ({@value #TARGET_WORKLOAD} asking read and write on {@code http/payments-api} in
 * {@code prod} for 600 s with a change ticket) is approved only by the LAST rule, which is the
 * realistic worst case. The N - 1 rules before it mix, by position modulo 20: exact workloads (50 %),
 * one-segment team patterns {@code team-NN/*} (20 %) and team subtrees {@code team-NN/**} (15 %),
 * none of which match the request; and trust-domain-wide {@code spiffe://dev.local/**} rules (15 %)
 * that do apply to it: read on {@code shared-N-*} ids (its resource does not match), short reads of
 * any {@code *-api} (its condition is evaluated and is false: 600 s asked) and a deny of write and
 * delete without a change ticket (its regex condition is evaluated and is false).
 *
 * <p>Without conditions (to see what CEL costs) the rules are the same except that the last two
 * kinds name only actions the request does not ask for ({@code list}, {@code delete}), so that
 * they are still matched against it but grant or deny nothing: the same decision, the same rule
 * matching, no condition evaluated.
 */
final class GeneratedPolicy {

    static final String TARGET_WORKLOAD = "spiffe://dev.local/payments/deployer";
    static final String TARGET_ENVIRONMENT = "prod";
    static final String TARGET_RULE_ID = "payments-deployer-prod";
    static final List<String> ENVIRONMENTS = List.of("dev", "staging", "prod", "qa");

    private static final String ALLOW_CONDITION = "request.ttlSeconds <= %d && request.justification != ''";
    private static final String DENY_CONDITION = "!request.justification.matches('CHG-[0-9]+')";

    private GeneratedPolicy() {
    }

    /** The parsed policy, as the service would load it. */
    static Policy policy(int ruleCount, boolean withConditions) {
        return PolicyParser.parse(yaml(ruleCount, withConditions), "generated:" + ruleCount + "-rules");
    }

    /** The request the benchmark decides: approved by {@value #TARGET_RULE_ID} alone. */
    static AccessQuery query() {
        return new AccessQuery(TARGET_WORKLOAD, TARGET_ENVIRONMENT,
                List.of(new ResourceAccess("http", "payments-api", List.of("read", "write"))), 600,
                OptionalLong.empty(), "deploy-payments-4711", "release 4.2.0 (CHG-1234)");
    }

    /** Fails loudly if the decision is not the one the benchmark is meant to measure. */
    static void requireApprovedByTarget(Decision decision, int ruleCount) {
        if (decision.outcome() != Outcome.APPROVED || !decision.matchedRules().equals(List.of(TARGET_RULE_ID))) {
            throw new IllegalStateException("the " + ruleCount + "-rule policy does not approve the benchmark request by rule "
                    + TARGET_RULE_ID + " alone: " + decision);
        }
    }

    static String yaml(int ruleCount, boolean withConditions) {
        if (ruleCount < 1) {
            throw new IllegalArgumentException("a generated policy needs at least 1 rule, got " + ruleCount);
        }
        StringBuilder yaml = new StringBuilder()
                .append("version: \"bench-").append(ruleCount).append("-rules\"\n")
                .append("maxTtlSeconds: 3600\n")
                .append("environments: [").append(String.join(", ", ENVIRONMENTS)).append("]\n")
                .append("rules:\n");
        for (int i = 0; i < ruleCount - 1; i++) {
            appendFillerRule(yaml, i, withConditions);
        }
        appendRule(yaml, TARGET_RULE_ID, "allow", TARGET_WORKLOAD, List.of(TARGET_ENVIRONMENT), "http",
                List.of("payments-api"), List.of("read", "write"),
                withConditions ? ALLOW_CONDITION.formatted(900) : null, 900L);
        return yaml.toString();
    }

    private static void appendFillerRule(StringBuilder yaml, int i, boolean withConditions) {
        String team = String.format(Locale.ROOT, "team-%02d", i % 25);
        String allowCondition = withConditions ? ALLOW_CONDITION.formatted(300 + (i % 7) * 300) : null;
        int kind = i % 20;
        if (kind == 17) {
            appendRule(yaml, "shared-read-" + i, "allow", "spiffe://dev.local/**", List.of("staging", "prod"), "http",
                    List.of("shared-" + i + "-*"), List.of("read"), allowCondition, null);
        } else if (kind == 18) {
            appendRule(yaml, "short-api-read-" + i, "allow", "spiffe://dev.local/**", List.of("staging", "prod"), "http",
                    List.of("*-api"), List.of(withConditions ? "read" : "list"), withConditions ? ALLOW_CONDITION.formatted(300) : null, 300L);
        } else if (kind == 19) {
            appendRule(yaml, "prod-writes-need-change-" + i, "deny", "spiffe://dev.local/**", List.of("prod"), "http",
                    List.of("**"), withConditions ? List.of("write", "delete") : List.of("delete"), withConditions ? DENY_CONDITION : null, null);
        } else {
            String workload = kind < 10 ? "spiffe://dev.local/" + team + "/svc-" + i
                    : kind < 14 ? "spiffe://dev.local/" + team + "/*"
                    : "spiffe://dev.local/" + team + "/**";
            String resourceId = kind < 10 ? "svc-" + i : kind < 14 ? team + "-*" : team + "/**";
            List<String> environments = i % 3 == 0
                    ? List.of(ENVIRONMENTS.get(i % 4), ENVIRONMENTS.get((i + 1) % 4))
                    : List.of(ENVIRONMENTS.get(i % 4));
            switch (i % 3) {
                case 0 -> appendRule(yaml, team + "-http-" + i, "allow", workload, environments, "http",
                        List.of(resourceId + (kind < 10 ? "-api" : "")), List.of("read", "write"), allowCondition, 900L);
                case 1 -> appendRule(yaml, team + "-postgres-" + i, "allow", workload, environments, "postgres",
                        List.of(resourceId + (kind < 10 ? "-db" : "")), List.of("select", "insert", "update"), allowCondition, null);
                default -> appendRule(yaml, team + "-kafka-" + i, "allow", workload, environments, "kafka",
                        List.of(resourceId + (kind < 10 ? "-events" : "")), List.of("produce", "consume"), allowCondition, 1800L);
            }
        }
    }

    private static void appendRule(StringBuilder yaml, String id, String effect, String workload, List<String> environments,
                                   String type, List<String> ids, List<String> actions, String condition, Long maxTtlSeconds) {
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
    }

    private static String quoted(List<String> values) {
        return String.join(", ", values.stream().map(value -> "\"" + value + "\"").toList());
    }
}
