package io.jitbroker.policy.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyEngineTest {

    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final ResourceAccess INVENTORY_READ_WRITE = new ResourceAccess("http", "inventory-api", List.of("read", "write"));

    private static PolicyRule rule(String id, String workload, Set<String> environments, OptionalLong maxTtl,
                                   ResourceRule... resources) {
        return new PolicyRule(id, "", GlobPattern.compile(workload), environments, List.of(resources), maxTtl);
    }

    private static ResourceRule http(String id, String... actions) {
        return new ResourceRule("http", List.of(GlobPattern.compile(id)), Set.of(actions));
    }

    private static Policy policy(PolicyRule... rules) {
        return new Policy("v1", 3600, Set.of("dev", "staging", "prod"), List.of(rules));
    }

    private static final PolicyRule DEPLOYER_STAGING = rule("ci-deployer-staging-inventory", DEPLOYER, Set.of("staging"),
            OptionalLong.of(600), http("inventory-api", "read", "write"));

    @Test
    void shouldApproveRequestedScopeWhenExactRuleAllowsIt() {
        // given
        PolicyEngine engine = new PolicyEngine(policy(DEPLOYER_STAGING));

        // when
        Decision decision = engine.decide(new AccessQuery(DEPLOYER, "staging", List.of(INVENTORY_READ_WRITE), 300));

        // then
        assertEquals(Outcome.APPROVED, decision.outcome());
        assertEquals(List.of(INVENTORY_READ_WRITE), decision.grantedResources());
        assertEquals(300, decision.grantedTtlSeconds());
        assertEquals(List.of("ci-deployer-staging-inventory"), decision.matchedRules());
        assertEquals("v1", decision.policyVersion());
        assertEquals(List.of("granted [read, write] on http/inventory-api by ci-deployer-staging-inventory"), decision.reasons());
    }

    @Test
    void shouldDenyWhenRuleIsForAnotherEnvironment() {
        // given
        PolicyEngine engine = new PolicyEngine(policy(DEPLOYER_STAGING));

        // when
        Decision decision = engine.decide(new AccessQuery(DEPLOYER, "prod", List.of(INVENTORY_READ_WRITE), 300));

        // then
        assertEquals(Outcome.DENIED, decision.outcome());
        assertEquals(List.of(), decision.grantedResources());
        assertEquals(0, decision.grantedTtlSeconds());
        assertEquals(List.of(), decision.matchedRules());
        assertEquals(List.of("no allow rule grants " + DEPLOYER + " any of [read, write] on http/inventory-api in prod"),
                decision.reasons());
    }

    @Test
    void shouldDenyWhenWorkloadDiffersFromExactRule() {
        // given
        PolicyEngine engine = new PolicyEngine(policy(DEPLOYER_STAGING));

        // when
        Decision decision = engine.decide(new AccessQuery("spiffe://dev.local/ci/deployer-2", "staging",
                List.of(INVENTORY_READ_WRITE), 300));

        // then
        assertEquals(Outcome.DENIED, decision.outcome());
    }

    @Test
    void shouldMatchOneSegmentOnlyWhenRuleUsesSingleStar() {
        // given
        PolicyEngine engine = new PolicyEngine(policy(rule("ci-readers", "spiffe://dev.local/ci/*", Set.of("dev"),
                OptionalLong.empty(), http("inventory-api", "read"))));
        ResourceAccess read = new ResourceAccess("http", "inventory-api", List.of("read"));

        // when
        Decision oneSegment = engine.decide(new AccessQuery("spiffe://dev.local/ci/builder", "dev", List.of(read), 60));
        Decision twoSegments = engine.decide(new AccessQuery("spiffe://dev.local/ci/team/builder", "dev", List.of(read), 60));

        // then
        assertEquals(Outcome.APPROVED, oneSegment.outcome());
        assertEquals(Outcome.DENIED, twoSegments.outcome());
    }

    @Test
    void shouldMatchAnyDepthWhenRuleUsesDoubleStar() {
        // given
        PolicyEngine engine = new PolicyEngine(policy(rule("ci-all", "spiffe://dev.local/ci/**", Set.of("dev"),
                OptionalLong.empty(), http("inventory-api", "read"))));
        ResourceAccess read = new ResourceAccess("http", "inventory-api", List.of("read"));

        // when
        Decision deep = engine.decide(new AccessQuery("spiffe://dev.local/ci/team/a/builder", "dev", List.of(read), 60));
        Decision outside = engine.decide(new AccessQuery("spiffe://dev.local/agents/bot", "dev", List.of(read), 60));

        // then
        assertEquals(Outcome.APPROVED, deep.outcome());
        assertEquals(Outcome.DENIED, outside.outcome());
    }

    @Test
    void shouldMatchResourceIdsByPatternWhenRuleUsesStar() {
        // given
        PolicyEngine engine = new PolicyEngine(policy(rule("apis", DEPLOYER, Set.of("dev"), OptionalLong.empty(),
                http("inventory-*", "read"))));

        // when
        Decision decision = engine.decide(new AccessQuery(DEPLOYER, "dev",
                List.of(new ResourceAccess("http", "inventory-eu", List.of("read"))), 60));

        // then
        assertEquals(List.of(new ResourceAccess("http", "inventory-eu", List.of("read"))), decision.grantedResources());
    }

    @Test
    void shouldGrantOnlyAllowedActionsWhenMoreAreRequested() {
        // given
        PolicyEngine engine = new PolicyEngine(policy(rule("readers", DEPLOYER, Set.of("staging"), OptionalLong.empty(),
                http("inventory-api", "read"))));

        // when
        Decision decision = engine.decide(new AccessQuery(DEPLOYER, "staging",
                List.of(new ResourceAccess("http", "inventory-api", List.of("read", "delete"))), 60));

        // then
        assertEquals(Outcome.APPROVED, decision.outcome());
        assertEquals(List.of(new ResourceAccess("http", "inventory-api", List.of("read"))), decision.grantedResources());
        assertTrue(decision.reasons().contains("action delete on http/inventory-api not allowed; granted read"),
                decision.reasons().toString());
    }

    @Test
    void shouldUniteActionsOfAllMatchingRulesWhenSeveralApply() {
        // given
        PolicyEngine engine = new PolicyEngine(policy(
                rule("readers", "spiffe://dev.local/ci/**", Set.of("staging"), OptionalLong.empty(), http("inventory-api", "read")),
                rule("unrelated", "spiffe://dev.local/agents/*", Set.of("staging"), OptionalLong.empty(), http("inventory-api", "write")),
                rule("writers", DEPLOYER, Set.of("staging"), OptionalLong.empty(), http("inventory-api", "write"))));

        // when
        Decision decision = engine.decide(new AccessQuery(DEPLOYER, "staging",
                List.of(new ResourceAccess("http", "inventory-api", List.of("write", "read", "write"))), 60));

        // then
        assertEquals(List.of(INVENTORY_READ_WRITE), decision.grantedResources());
        assertEquals(List.of("readers", "writers"), decision.matchedRules());
    }

    @Test
    void shouldDropAndNameResourceWhenNothingIsGrantedOnIt() {
        // given
        PolicyEngine engine = new PolicyEngine(policy(DEPLOYER_STAGING));
        ResourceAccess database = new ResourceAccess("postgres", "orders", List.of("read"));

        // when
        Decision decision = engine.decide(new AccessQuery(DEPLOYER, "staging", List.of(database, INVENTORY_READ_WRITE), 60));

        // then
        assertEquals(Outcome.APPROVED, decision.outcome());
        assertEquals(List.of(INVENTORY_READ_WRITE), decision.grantedResources());
        assertTrue(decision.reasons().contains("no allow rule grants " + DEPLOYER + " any of [read] on postgres/orders in staging"),
                decision.reasons().toString());
    }

    @Test
    void shouldGiveOneReasonPerResourceWhenNothingAtAllIsGranted() {
        // given
        PolicyEngine engine = new PolicyEngine(policy(DEPLOYER_STAGING));

        // when
        Decision decision = engine.decide(new AccessQuery(DEPLOYER, "staging", List.of(
                new ResourceAccess("postgres", "orders", List.of("read")),
                new ResourceAccess("http", "inventory-api", List.of("delete"))), 60));

        // then
        assertEquals(Outcome.DENIED, decision.outcome());
        assertEquals(List.of(
                "no allow rule grants " + DEPLOYER + " any of [delete] on http/inventory-api in staging",
                "no allow rule grants " + DEPLOYER + " any of [read] on postgres/orders in staging"), decision.reasons());
    }

    @Test
    void shouldSortResourcesAndActionsWhenRequestIsUnordered() {
        // given
        PolicyEngine engine = new PolicyEngine(policy(rule("all", DEPLOYER, Set.of("dev"), OptionalLong.empty(),
                http("**", "read", "write"), new ResourceRule("amqp", List.of(GlobPattern.compile("orders")), Set.of("publish")))));

        // when
        Decision decision = engine.decide(new AccessQuery(DEPLOYER, "dev", List.of(
                new ResourceAccess("http", "zeta", List.of("write", "read")),
                new ResourceAccess("http", "alpha", List.of("read")),
                new ResourceAccess("amqp", "orders", List.of("publish")),
                new ResourceAccess("http", "alpha", List.of("write", "read"))), 60));

        // then
        assertEquals(List.of(
                new ResourceAccess("amqp", "orders", List.of("publish")),
                new ResourceAccess("http", "alpha", List.of("read", "write")),
                new ResourceAccess("http", "zeta", List.of("read", "write"))), decision.grantedResources());
    }

    @Test
    void shouldCapTtlByRuleWhenRuleMaximumIsSmallest() {
        // given
        PolicyEngine engine = new PolicyEngine(policy(DEPLOYER_STAGING));

        // when
        Decision decision = engine.decide(new AccessQuery(DEPLOYER, "staging", List.of(INVENTORY_READ_WRITE), 3000));

        // then
        assertEquals(600, decision.grantedTtlSeconds());
        assertTrue(decision.reasons().contains("ttl narrowed from 3000 s to 600 s by rule ci-deployer-staging-inventory"),
                decision.reasons().toString());
    }

    @Test
    void shouldCapTtlByGlobalMaximumWhenRuleHasNoCap() {
        // given
        PolicyEngine engine = new PolicyEngine(policy(rule("uncapped", DEPLOYER, Set.of("staging"), OptionalLong.empty(),
                http("inventory-api", "read", "write"))));

        // when
        Decision decision = engine.decide(new AccessQuery(DEPLOYER, "staging", List.of(INVENTORY_READ_WRITE), 86_400));

        // then
        assertEquals(3600, decision.grantedTtlSeconds());
        assertTrue(decision.reasons().contains("ttl narrowed from 86400 s to 3600 s by the policy maximum"),
                decision.reasons().toString());
    }

    @Test
    void shouldKeepRequestedTtlWhenItIsBelowEveryCap() {
        // given
        PolicyEngine engine = new PolicyEngine(policy(DEPLOYER_STAGING));

        // when
        Decision decision = engine.decide(new AccessQuery(DEPLOYER, "staging", List.of(INVENTORY_READ_WRITE), 42));

        // then
        assertEquals(42, decision.grantedTtlSeconds());
    }

    @Test
    void shouldUseSmallestCapOfGrantingRulesWhenSeveralGrant() {
        // given: the 60 s rule grants something, the 30 s rule matches the workload but grants nothing asked for
        PolicyEngine engine = new PolicyEngine(policy(
                rule("read-900", DEPLOYER, Set.of("staging"), OptionalLong.of(900), http("inventory-api", "read")),
                rule("write-60", DEPLOYER, Set.of("staging"), OptionalLong.of(60), http("inventory-api", "write")),
                rule("delete-30", DEPLOYER, Set.of("staging"), OptionalLong.of(30), http("inventory-api", "delete"))));

        // when
        Decision decision = engine.decide(new AccessQuery(DEPLOYER, "staging", List.of(INVENTORY_READ_WRITE), 1200));

        // then
        assertEquals(60, decision.grantedTtlSeconds());
        assertEquals(List.of("read-900", "write-60"), decision.matchedRules());
    }

    @Test
    void shouldDenyWhenEnvironmentIsNotInPolicy() {
        // given
        PolicyEngine engine = new PolicyEngine(policy(DEPLOYER_STAGING));

        // when
        Decision decision = engine.decide(new AccessQuery(DEPLOYER, "qa", List.of(INVENTORY_READ_WRITE), 60));

        // then
        assertEquals(Outcome.DENIED, decision.outcome());
        assertEquals(List.of("environment 'qa' is not defined by policy v1 (known: dev, prod, staging)"), decision.reasons());
    }

    @Test
    void shouldDenyEverythingWhenPolicyIsEmpty() {
        // given
        PolicyEngine engine = new PolicyEngine(Policy.denyAll());

        // when
        Decision decision = engine.decide(new AccessQuery(DEPLOYER, "staging", List.of(INVENTORY_READ_WRITE), 60));

        // then
        assertEquals(Outcome.DENIED, decision.outcome());
        assertEquals(Policy.DENY_ALL_VERSION, decision.policyVersion());
        assertEquals(List.of("policy deny-all defines no environments: every request is denied"), decision.reasons());
    }

    @Test
    void shouldDenyWhenPolicyHasEnvironmentsButNoRules() {
        // given
        PolicyEngine engine = new PolicyEngine(policy());

        // when
        Decision decision = engine.decide(new AccessQuery(DEPLOYER, "staging", List.of(INVENTORY_READ_WRITE), 60));

        // then
        assertEquals(Outcome.DENIED, decision.outcome());
    }

    @Test
    void shouldDenyWithEveryProblemWhenRequestIsInvalid() {
        // given
        PolicyEngine engine = new PolicyEngine(policy(DEPLOYER_STAGING));

        // when
        Decision decision = engine.decide(new AccessQuery(" ", "staging", List.of(), 0));

        // then
        assertEquals(Outcome.DENIED, decision.outcome());
        assertEquals(List.of(
                "invalid request: workloadId is blank",
                "invalid request: ttlSeconds must be greater than 0, got 0",
                "invalid request: resources is empty: at least one resource must be requested"), decision.reasons());
    }

    @Test
    void shouldDenyWhenResourceAsksForNoAction() {
        // given
        PolicyEngine engine = new PolicyEngine(policy(DEPLOYER_STAGING));

        // when
        Decision decision = engine.decide(new AccessQuery(DEPLOYER, "staging",
                List.of(new ResourceAccess("http", "inventory-api", List.of())), 60));

        // then
        assertEquals(Outcome.DENIED, decision.outcome());
        assertEquals(List.of("invalid request: resources[0].actions is empty"), decision.reasons());
    }

    @Test
    void shouldCarryHeartbeatUnchangedWhenItIsWithinGrantedTtl() {
        // given
        PolicyEngine engine = new PolicyEngine(policy(DEPLOYER_STAGING));

        // when
        Decision decision = engine.decide(new AccessQuery(DEPLOYER, "staging", List.of(INVENTORY_READ_WRITE), 300,
                OptionalLong.of(30)));

        // then
        assertEquals(Outcome.APPROVED, decision.outcome());
        assertEquals(OptionalLong.of(30), decision.heartbeatIntervalSeconds());
        assertEquals(List.of("granted [read, write] on http/inventory-api by ci-deployer-staging-inventory"), decision.reasons());
    }

    @Test
    void shouldCarryNoHeartbeatWhenNoneRequested() {
        // given
        PolicyEngine engine = new PolicyEngine(policy(DEPLOYER_STAGING));

        // when
        Decision decision = engine.decide(new AccessQuery(DEPLOYER, "staging", List.of(INVENTORY_READ_WRITE), 300));

        // then
        assertEquals(Outcome.APPROVED, decision.outcome());
        assertEquals(OptionalLong.empty(), decision.heartbeatIntervalSeconds());
    }

    @Test
    void shouldKeepHeartbeatWithoutReasonWhenItEqualsGrantedTtl() {
        // given
        PolicyEngine engine = new PolicyEngine(policy(DEPLOYER_STAGING));

        // when
        Decision decision = engine.decide(new AccessQuery(DEPLOYER, "staging", List.of(INVENTORY_READ_WRITE), 300,
                OptionalLong.of(300)));

        // then
        assertEquals(OptionalLong.of(300), decision.heartbeatIntervalSeconds());
        assertFalse(decision.reasons().stream().anyMatch(reason -> reason.contains("heartbeat")), decision.reasons().toString());
    }

    @Test
    void shouldCapHeartbeatAtGrantedTtlWhenItIsLongerThanTheGrantLives() {
        // given: 3000 s asked, the rule caps the grant at 600 s, the heartbeat asked is 900 s
        PolicyEngine engine = new PolicyEngine(policy(DEPLOYER_STAGING));

        // when
        Decision decision = engine.decide(new AccessQuery(DEPLOYER, "staging", List.of(INVENTORY_READ_WRITE), 3000,
                OptionalLong.of(900)));

        // then
        assertEquals(600, decision.grantedTtlSeconds());
        assertEquals(OptionalLong.of(600), decision.heartbeatIntervalSeconds());
        assertTrue(decision.reasons().contains("heartbeat interval narrowed from 900 s to 600 s: it cannot exceed the granted ttl"),
                decision.reasons().toString());
    }

    @Test
    void shouldCarryNoHeartbeatWhenDenied() {
        // given
        PolicyEngine engine = new PolicyEngine(policy(DEPLOYER_STAGING));

        // when
        Decision decision = engine.decide(new AccessQuery(DEPLOYER, "prod", List.of(INVENTORY_READ_WRITE), 300,
                OptionalLong.of(30)));

        // then
        assertEquals(Outcome.DENIED, decision.outcome());
        assertEquals(OptionalLong.empty(), decision.heartbeatIntervalSeconds());
    }

    @Test
    void shouldDenyWhenHeartbeatIsNotPositive() {
        // given
        PolicyEngine engine = new PolicyEngine(policy(DEPLOYER_STAGING));

        // when
        Decision decision = engine.decide(new AccessQuery(DEPLOYER, "staging", List.of(INVENTORY_READ_WRITE), 300,
                OptionalLong.of(0)));

        // then
        assertEquals(Outcome.DENIED, decision.outcome());
        assertEquals(List.of("invalid request: heartbeatIntervalSeconds must be greater than 0 when set, got 0"),
                decision.reasons());
    }
}
