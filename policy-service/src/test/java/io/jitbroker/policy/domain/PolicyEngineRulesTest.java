package io.jitbroker.policy.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Conditions, deny rules and explanations. */
class PolicyEngineRulesTest {

    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    private static final ResourceAccess INVENTORY_READ_WRITE =
            new ResourceAccess("http", "inventory-api", List.of("read", "write"));

    private static PolicyRule allow(String id, String condition, String... actions) {
        return rule(id, Effect.ALLOW, condition, actions);
    }

    private static PolicyRule deny(String id, String condition, String... actions) {
        return rule(id, Effect.DENY, condition, actions);
    }

    private static PolicyRule rule(String id, Effect effect, String condition, String... actions) {
        return new PolicyRule(id, "", GlobPattern.compile("spiffe://dev.local/ci/*"), Set.of("staging"),
                List.of(new ResourceRule("http", List.of(GlobPattern.compile("inventory-api")), Set.of(actions))),
                OptionalLong.empty(), effect, Optional.ofNullable(condition).map(Condition::compile));
    }

    private static PolicyEngine engine(PolicyRule... rules) {
        return new PolicyEngine(new Policy("v7", 3600, Set.of("staging", "prod"), List.of(rules)), CLOCK);
    }

    private static AccessQuery query(long ttlSeconds, String justification, ResourceAccess... resources) {
        return new AccessQuery(DEPLOYER, "staging", List.of(resources), ttlSeconds, OptionalLong.empty(), "task-1",
                justification);
    }

    @Test
    void shouldGrantWhenConditionIsTrue() {
        // given
        PolicyEngine engine = engine(allow("short-only", "request.ttlSeconds <= 600 && now < timestamp('2027-01-01T00:00:00Z')",
                "read", "write"));

        // when
        Decision decision = engine.decide(query(300, "", INVENTORY_READ_WRITE));

        // then
        assertEquals(Outcome.APPROVED, decision.outcome());
        assertEquals(List.of(INVENTORY_READ_WRITE), decision.grantedResources());
        assertEquals(List.of("short-only"), decision.matchedRules());
        assertEquals("v7", decision.policyVersion());
    }

    @Test
    void shouldDenyWhenConditionIsFalse() {
        // given
        PolicyEngine engine = engine(allow("short-only", "request.ttlSeconds <= 600", "read", "write"));

        // when
        Decision decision = engine.decide(query(900, "", INVENTORY_READ_WRITE));

        // then
        assertEquals(Outcome.DENIED, decision.outcome());
        assertEquals(List.of(), decision.matchedRules());
        assertEquals(List.of("no allow rule grants " + DEPLOYER + " any of [read, write] on http/inventory-api in staging"),
                decision.reasons());
    }

    @Test
    void shouldDenyAndNameTheFailureWhenConditionCannotBeEvaluated() {
        // given: the caller's token has no 'ticket' claim, and indexing a map by a missing key is an error
        PolicyEngine engine = engine(allow("needs-ticket", "workload.claims['ticket'] != ''", "read", "write"));

        // when
        Decision decision = engine.decide(query(300, "", INVENTORY_READ_WRITE));

        // then
        assertEquals(Outcome.DENIED, decision.outcome());
        assertEquals(2, decision.reasons().size(), decision.reasons().toString());
        String failure = decision.reasons().get(0);
        assertEquals(true, failure.startsWith("the condition of allow rule needs-ticket could not be evaluated on http/inventory-api ("),
                failure);
        assertEquals(true, failure.endsWith("); it grants nothing there (fail closed)"), failure);
    }

    @Test
    void shouldDenyAndNameTheFailureWhenConditionIsNotABool() {
        // given
        // given: dyn() hides the type from the checker, so only evaluation can tell
        PolicyEngine engine = engine(allow("returns-text", "dyn(request.environment)", "read"));

        // when
        Decision decision = engine.decide(query(300, "", INVENTORY_READ_WRITE));

        // then
        assertEquals(Outcome.DENIED, decision.outcome());
        assertEquals("the condition of allow rule returns-text could not be evaluated on http/inventory-api "
                + "(the condition gave String staging, not a bool); it grants nothing there (fail closed)", decision.reasons().get(0));
    }

    @Test
    void shouldEvaluateConditionPerResourceWhenSeveralAreRequested() {
        // given: the rule covers two APIs but its condition only lets reads on one through
        PolicyRule rule = new PolicyRule("per-resource", "", GlobPattern.compile(DEPLOYER), Set.of("staging"),
                List.of(new ResourceRule("http", List.of(GlobPattern.compile("*-api")), Set.of("read"))),
                OptionalLong.empty(), Effect.ALLOW, Optional.of(Condition.compile("resource.id == 'inventory-api'")));
        PolicyEngine engine = engine(rule);

        // when
        Decision decision = engine.decide(query(300, "",
                new ResourceAccess("http", "billing-api", List.of("read")),
                new ResourceAccess("http", "inventory-api", List.of("read"))));

        // then
        assertEquals(List.of(new ResourceAccess("http", "inventory-api", List.of("read"))), decision.grantedResources());
    }

    @Test
    void shouldDenyWholeResourceWhenDenyRuleNamesEveryRequestedAction() {
        // given
        PolicyEngine engine = engine(allow("deployers", null, "read", "write"),
                deny("freeze", "request.justification == ''", "read", "write"));

        // when
        Decision decision = engine.decide(query(300, "", INVENTORY_READ_WRITE));

        // then
        assertEquals(Outcome.DENIED, decision.outcome());
        assertEquals(List.of(), decision.grantedResources());
        assertEquals(List.of("freeze"), decision.matchedRules());
        assertEquals(List.of("denied [read, write] on http/inventory-api by deny rule freeze"), decision.reasons());
        assertEquals("v7", decision.policyVersion());
    }

    @Test
    void shouldRemoveOnlyTheDeniedActionWhenDenyRuleNamesOne() {
        // given
        PolicyEngine engine = engine(allow("deployers", null, "read", "write"), deny("read-only-without-ticket",
                "!request.justification.contains('TICKET-')", "write"));

        // when
        Decision decision = engine.decide(query(300, "routine check", INVENTORY_READ_WRITE));

        // then
        assertEquals(Outcome.APPROVED, decision.outcome());
        assertEquals(List.of(new ResourceAccess("http", "inventory-api", List.of("read"))), decision.grantedResources());
        assertEquals(List.of("deployers", "read-only-without-ticket"), decision.matchedRules());
        assertEquals(List.of(
                "granted [read] on http/inventory-api by deployers",
                "denied [write] on http/inventory-api by deny rule read-only-without-ticket",
                "action write on http/inventory-api not allowed; granted read"), decision.reasons());
    }

    @Test
    void shouldNotDenyWhenDenyConditionIsFalse() {
        // given
        PolicyEngine engine = engine(allow("deployers", null, "read", "write"), deny("read-only-without-ticket",
                "!request.justification.contains('TICKET-')", "write"));

        // when
        Decision decision = engine.decide(query(300, "TICKET-42 rollout", INVENTORY_READ_WRITE));

        // then
        assertEquals(List.of(INVENTORY_READ_WRITE), decision.grantedResources());
        assertEquals(List.of("deployers"), decision.matchedRules());
    }

    @Test
    void shouldDenyWhenDenyConditionCannotBeEvaluated() {
        // given: fail closed for a deny rule means it takes effect
        PolicyEngine engine = engine(allow("deployers", null, "read", "write"),
                deny("broken-freeze", "workload.claims['ticket'] == 'x'", "write"));

        // when
        Decision decision = engine.decide(query(300, "", INVENTORY_READ_WRITE));

        // then
        assertEquals(List.of(new ResourceAccess("http", "inventory-api", List.of("read"))), decision.grantedResources());
        assertEquals(List.of("deployers", "broken-freeze"), decision.matchedRules());
        assertEquals(true, decision.reasons().stream().anyMatch(r ->
                r.startsWith("the condition of deny rule broken-freeze could not be evaluated on http/inventory-api (")
                        && r.endsWith("); it denies there (fail closed)")), decision.reasons().toString());
    }

    @Test
    void shouldStillDenyWhenOnlyADenyRuleMatches() {
        // given
        PolicyEngine engine = engine(deny("freeze", null, "write"));

        // when
        Decision decision = engine.decide(query(300, "", INVENTORY_READ_WRITE));

        // then
        assertEquals(Outcome.DENIED, decision.outcome());
        assertEquals(List.of("freeze"), decision.matchedRules());
        assertEquals(List.of("denied [write] on http/inventory-api by deny rule freeze",
                "no allow rule grants " + DEPLOYER + " any of [read, write] on http/inventory-api in staging"),
                decision.reasons());
    }

    @Test
    void shouldExplainWhatEachRuleDidWhenAsked() {
        // given
        PolicyRule otherEnvironment = new PolicyRule("prod-only", "", GlobPattern.compile("spiffe://dev.local/ops/*"),
                Set.of("prod"), List.of(new ResourceRule("http", List.of(GlobPattern.compile("**")), Set.of("read"))),
                OptionalLong.empty());
        PolicyEngine engine = engine(allow("deployers", null, "read", "write"),
                allow("long-ttl", "request.ttlSeconds > 3000", "read"),
                deny("read-only-without-ticket", "!request.justification.contains('TICKET-')", "write"),
                otherEnvironment,
                allow("deletes", null, "delete"));

        // when
        Explanation explanation = engine.explain(query(300, "", INVENTORY_READ_WRITE));

        // then: the same decision as decide()
        assertEquals(engine.decide(query(300, "", INVENTORY_READ_WRITE)), explanation.decision());
        assertEquals(List.of(
                new RuleEvaluation("deployers", Effect.ALLOW, true, "allows [read, write] on http/inventory-api"),
                new RuleEvaluation("long-ttl", Effect.ALLOW, false, "condition false on http/inventory-api"),
                new RuleEvaluation("read-only-without-ticket", Effect.DENY, true, "denies [write] on http/inventory-api"),
                new RuleEvaluation("prod-only", Effect.ALLOW, false, "workload " + DEPLOYER
                        + " does not match spiffe://dev.local/ops/*; environment staging is not one of [prod]"),
                new RuleEvaluation("deletes", Effect.ALLOW, false,
                        "names none of the requested actions on the requested resources")),
                explanation.evaluations());
    }

    @Test
    void shouldExplainWithoutRuleEvaluationsWhenRequestIsInvalid() {
        // when
        Explanation explanation = engine(allow("deployers", null, "read")).explain(query(0, "", INVENTORY_READ_WRITE));

        // then
        assertEquals(Outcome.DENIED, explanation.decision().outcome());
        assertEquals(List.of("invalid request: ttlSeconds must be greater than 0, got 0"), explanation.decision().reasons());
        assertEquals(List.of(), explanation.evaluations());
    }

    @Test
    void shouldDecideCorrectlyWhenPolicyHasAThousandConditionalRules() {
        // given: 1,000 rules, each for its own API and only for short grants, plus one deny; parsed from YAML so
        // that every condition is compiled and type-checked at load
        StringBuilder yaml = new StringBuilder("""
                version: "big-1"
                maxTtlSeconds: 3600
                environments: [staging]
                rules:
                """);
        for (int i = 0; i < 1_000; i++) {
            yaml.append("  - id: api-").append(i).append('\n')
                    .append("    workload: \"spiffe://dev.local/ci/*\"\n")
                    .append("    environments: [staging]\n")
                    .append("    resources: [{type: http, ids: [\"api-").append(i).append("\"], actions: [read, write]}]\n")
                    .append("    condition: \"request.ttlSeconds <= ").append(60 + i).append(" && resource.id == 'api-")
                    .append(i).append("' && workload.trustDomain == 'dev.local'\"\n");
        }
        yaml.append("""
                  - id: no-writes-on-api-7
                    effect: deny
                    workload: "spiffe://dev.local/**"
                    environments: [staging]
                    resources: [{type: http, ids: ["api-7"], actions: [write]}]
                    condition: "now > timestamp('2026-01-01T00:00:00Z')"
                """);
        Policy policy = PolicyParser.parse(yaml.toString(), "big.yaml");
        PolicyEngine engine = new PolicyEngine(policy, CLOCK);
        List<ResourceAccess> resources = new ArrayList<>();
        for (int i : new int[] {7, 100, 999}) {
            resources.add(new ResourceAccess("http", "api-" + i, List.of("read", "write")));
        }

        // when: ttl 200 s, so rules api-140 and above allow, api-7 and api-100 do not
        Decision decision = engine.decide(query(200, "", resources.toArray(ResourceAccess[]::new)));

        // then
        assertEquals(1_001, policy.rules().size());
        assertEquals(Outcome.APPROVED, decision.outcome());
        assertEquals(List.of(new ResourceAccess("http", "api-999", List.of("read", "write"))), decision.grantedResources());
        assertEquals(List.of("api-999", "no-writes-on-api-7"), decision.matchedRules());

        // and when: ttl 60 s lets every rule's condition hold; the deny still takes write on api-7 away
        Decision shortGrant = engine.decide(query(60, "", resources.toArray(ResourceAccess[]::new)));
        assertEquals(List.of(
                new ResourceAccess("http", "api-100", List.of("read", "write")),
                new ResourceAccess("http", "api-7", List.of("read")),
                new ResourceAccess("http", "api-999", List.of("read", "write"))), shortGrant.grantedResources());
        assertEquals(List.of("api-7", "api-100", "api-999", "no-writes-on-api-7"), shortGrant.matchedRules());
    }

    @Test
    void shouldNeedTicketForWritesWhenShippedExampleDecidesInDev() throws java.io.IOException {
        // given
        String example;
        try (java.io.InputStream in = getClass().getClassLoader().getResourceAsStream("policies/dev-example.yaml")) {
            example = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        PolicyEngine engine = new PolicyEngine(PolicyParser.parse(example, "dev-example.yaml"), CLOCK);

        // when
        Decision withTicket = engine.decide(devQuery(300, "rollout for TICKET-42"));
        Decision withoutTicket = engine.decide(devQuery(300, "smoke test"));
        Decision withoutJustification = engine.decide(devQuery(300, ""));
        Decision tooLong = engine.decide(devQuery(301, "rollout for TICKET-42"));

        // then
        assertEquals(List.of(INVENTORY_READ_WRITE), withTicket.grantedResources());
        assertEquals(List.of("ci-deployer-dev-inventory"), withTicket.matchedRules());
        assertEquals(List.of(new ResourceAccess("http", "inventory-api", List.of("read"))), withoutTicket.grantedResources());
        assertEquals(List.of("ci-deployer-dev-inventory", "dev-writes-need-ticket"), withoutTicket.matchedRules());
        assertEquals(Outcome.DENIED, withoutJustification.outcome());
        assertEquals(Outcome.DENIED, tooLong.outcome());
    }

    private static AccessQuery devQuery(long ttlSeconds, String justification) {
        return new AccessQuery(DEPLOYER, "dev", List.of(INVENTORY_READ_WRITE), ttlSeconds, OptionalLong.empty(), "task-1",
                justification);
    }
}
