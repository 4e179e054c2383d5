package io.jitbroker.policy.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Deny codes, the live-state checks (compromise, bindings, separation, caps), break-glass and approval. */
class PolicyEngineGuardrailsTest {

    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    private static final ResourceAccess INVENTORY_READ = new ResourceAccess("http", "inventory-api", List.of("read"));
    private static final ResourceAccess INVENTORY_WRITE = new ResourceAccess("http", "inventory-api", List.of("write"));
    private static final ResourceAccess INVENTORY_READ_WRITE = new ResourceAccess("http", "inventory-api", List.of("read", "write"));

    /** Every guardrail, and rules for the deployer in every environment. */
    private static final String BUNDLE = """
            version: "guarded-7"
            maxTtlSeconds: 3600
            environments: [dev, staging, prod]
            separation: [[prod, dev], [prod, staging]]
            environmentClaim: environment
            bindings:
              - {workload: "spiffe://dev.local/prod/**", environment: prod}
            caps: {maxResourcesPerRequest: 2, maxActiveGrantsPerWorkload: 3, maxGrantsPerTask: 2}
            breakGlass: {maxTtlSeconds: 300}
            approvalTimeoutSeconds: 600
            rules:
              - id: deployer-everywhere-reads
                workload: "spiffe://dev.local/**"
                environments: [dev, staging, prod]
                resources: [{type: http, ids: ["*-api", "api-*"], actions: [read]}]
              - id: deployer-staging-writes
                workload: "spiffe://dev.local/ci/deployer"
                environments: [staging]
                resources: [{type: http, ids: [inventory-api], actions: [write]}]
              - id: deployer-prod-writes-with-approval
                workload: "spiffe://dev.local/ci/deployer"
                environments: [prod]
                resources: [{type: http, ids: [inventory-api], actions: [write]}]
                requireApproval: true
                maxTtlSeconds: 900
              - id: deployer-prod-break-glass
                workload: "spiffe://dev.local/ci/deployer"
                environments: [prod]
                resources: [{type: http, ids: [inventory-api, billing-api], actions: [read, write]}]
                breakGlass: true
              - id: no-billing-writes
                effect: deny
                workload: "spiffe://dev.local/**"
                environments: [prod]
                resources: [{type: http, ids: [billing-api], actions: [write]}]
            """;

    private static final PolicyEngine ENGINE = new PolicyEngine(PolicyParser.parse(BUNDLE, "guarded.yaml"), CLOCK);

    private static AccessQuery query(String environment, long ttlSeconds, String justification, ResourceAccess... resources) {
        return new AccessQuery(DEPLOYER, environment, List.of(resources), ttlSeconds, OptionalLong.empty(), "task-1",
                justification);
    }

    private static AccessQuery breakGlass(String environment, long ttlSeconds, String justification, ResourceAccess... resources) {
        return query(environment, ttlSeconds, justification, resources).withBreakGlass(true);
    }

    private static WorkloadState holding(ActiveGrant... grants) {
        return WorkloadState.holding(List.of(grants));
    }

    // --- deny codes before any state

    @Test
    void shouldDenyWithNoPolicyWhenPolicyDefinesNoEnvironments() {
        // when
        Decision decision = new PolicyEngine(Policy.denyAll()).decide(query("prod", 60, "", INVENTORY_READ));

        // then
        assertEquals(Optional.of(DenyCode.NO_POLICY), decision.denyCode());
    }

    @Test
    void shouldDenyWithUnknownEnvironmentWhenEnvironmentIsNotDeclared() {
        // when
        Decision decision = ENGINE.decide(query("qa", 60, "", INVENTORY_READ));

        // then
        assertEquals(Optional.of(DenyCode.UNKNOWN_ENVIRONMENT), decision.denyCode());
        assertEquals(List.of("environment 'qa' is not defined by policy guarded-7 (known: dev, prod, staging)"), decision.reasons());
    }

    @Test
    void shouldDenyWithNoMatchingRuleWhenRequestIsInvalid() {
        // when
        Decision decision = ENGINE.decide(query("prod", 0, "", INVENTORY_READ));

        // then
        assertEquals(Optional.of(DenyCode.NO_MATCHING_RULE), decision.denyCode());
        assertEquals(List.of("invalid request: ttlSeconds must be greater than 0, got 0"), decision.reasons());
    }

    @Test
    void shouldDenyWithNoMatchingRuleWhenNoAllowRuleGrantsAnything() {
        // when
        Decision decision = ENGINE.decide(query("dev", 60, "", INVENTORY_WRITE));

        // then
        assertEquals(Outcome.DENIED, decision.outcome());
        assertEquals(Optional.of(DenyCode.NO_MATCHING_RULE), decision.denyCode());
        assertEquals(List.of("no allow rule grants " + DEPLOYER + " any of [write] on http/inventory-api in dev"), decision.reasons());
    }

    @Test
    void shouldDenyWithDeniedByRuleWhenDenyRulesRemoveEverythingGranted() {
        // when: the break-glass rule allows billing writes, the deny rule takes them away
        Decision decision = ENGINE.decide(breakGlass("prod", 60, "INC-7 billing down",
                new ResourceAccess("http", "billing-api", List.of("write"))));

        // then
        assertEquals(Optional.of(DenyCode.DENIED_BY_RULE), decision.denyCode());
        assertEquals(List.of("no-billing-writes"), decision.matchedRules());
        assertEquals(List.of("denied [write] on http/billing-api by deny rule no-billing-writes"), decision.reasons());
        assertTrue(decision.breakGlass());
    }

    @Test
    void shouldCarryNoDenyCodeWhenApproved() {
        // when
        Decision decision = ENGINE.decide(query("staging", 60, "", INVENTORY_READ_WRITE));

        // then
        assertEquals(Outcome.APPROVED, decision.outcome());
        assertEquals(Optional.empty(), decision.denyCode());
        assertFalse(decision.breakGlass());
    }

    // --- compromise

    @Test
    void shouldDenyCompromisedWorkloadWhenRulesWouldAllow() {
        // when
        Decision decision = ENGINE.decide(query("staging", 60, "", INVENTORY_READ), WorkloadState.compromised("token leaked in CI log"));

        // then
        assertEquals(Optional.of(DenyCode.WORKLOAD_COMPROMISED), decision.denyCode());
        assertEquals(List.of("workload " + DEPLOYER + " is marked compromised (token leaked in CI log): every request is denied "
                + "until it is cleared"), decision.reasons());
    }

    @Test
    void shouldReportCompromiseBeforeBindingWhenBothApply() {
        // given: compromised and bound by claim to dev
        AccessQuery query = query("staging", 60, "", INVENTORY_READ).withClaims(Map.of("environment", "dev"));

        // when
        Decision decision = ENGINE.decide(query, WorkloadState.compromised("detector alert"));

        // then
        assertEquals(Optional.of(DenyCode.WORKLOAD_COMPROMISED), decision.denyCode());
    }

    // --- environment binding

    @Test
    void shouldDenyWhenIdentityClaimBindsWorkloadToAnotherEnvironment() {
        // when
        Decision decision = ENGINE.decide(query("staging", 60, "", INVENTORY_READ).withClaims(Map.of("environment", "dev")));

        // then
        assertEquals(Optional.of(DenyCode.ENVIRONMENT_BINDING), decision.denyCode());
        assertEquals(List.of("workload " + DEPLOYER + " is bound to environment 'dev' by its identity claim 'environment', "
                + "so it gets nothing in staging"), decision.reasons());
    }

    @Test
    void shouldDecideByRulesWhenIdentityClaimNamesTheRequestedEnvironment() {
        // when
        Decision decision = ENGINE.decide(query("staging", 60, "", INVENTORY_READ).withClaims(Map.of("environment", "staging")));

        // then
        assertEquals(Outcome.APPROVED, decision.outcome());
    }

    @Test
    void shouldIgnoreOtherClaimsWhenTheBindingClaimIsAbsent() {
        // when
        Decision decision = ENGINE.decide(query("staging", 60, "", INVENTORY_READ).withClaims(Map.of("env", "dev")));

        // then
        assertEquals(Outcome.APPROVED, decision.outcome());
    }

    @Test
    void shouldDenyWhenBindingRuleBindsWorkloadToAnotherEnvironment() {
        // given
        AccessQuery query = new AccessQuery("spiffe://dev.local/prod/payments", "staging", List.of(INVENTORY_READ), 60);

        // when
        Decision decision = ENGINE.decide(query);

        // then
        assertEquals(Optional.of(DenyCode.ENVIRONMENT_BINDING), decision.denyCode());
        assertEquals(List.of("workload spiffe://dev.local/prod/payments is bound to environment 'prod' by bindings[0] "
                + "(spiffe://dev.local/prod/**) of policy guarded-7, so it gets nothing in staging"), decision.reasons());
    }

    @Test
    void shouldDecideByRulesWhenBoundWorkloadAsksForItsEnvironment() {
        // when
        Decision decision = ENGINE.decide(new AccessQuery("spiffe://dev.local/prod/payments", "prod", List.of(INVENTORY_READ), 60));

        // then
        assertEquals(Outcome.APPROVED, decision.outcome());
    }

    // --- separation

    @Test
    void shouldDenyWhenWorkloadHoldsAGrantInASeparatedEnvironment() {
        // when
        Decision decision = ENGINE.decide(query("prod", 60, "", INVENTORY_READ), holding(new ActiveGrant("req-9", "task-0", "staging")));

        // then
        assertEquals(Optional.of(DenyCode.ENVIRONMENT_SEPARATION), decision.denyCode());
        assertEquals(List.of("workload " + DEPLOYER + " holds a grant in staging (request req-9); policy guarded-7 separates "
                + "staging and prod, so it gets nothing in prod until that grant ends"), decision.reasons());
    }

    @Test
    void shouldSeparateBothWaysWhenPairIsWrittenOneWay() {
        // when: the bundle says [prod, dev]; the grant is in prod, the request for dev
        Decision decision = ENGINE.decide(query("dev", 60, "", INVENTORY_READ), holding(new ActiveGrant("req-9", "task-0", "prod")));

        // then
        assertEquals(Optional.of(DenyCode.ENVIRONMENT_SEPARATION), decision.denyCode());
    }

    @Test
    void shouldAllowWhenHeldGrantsAreInEnvironmentsThatMayMix() {
        // when: dev and staging are not separated; a grant in the requested environment never is
        Decision decision = ENGINE.decide(query("staging", 60, "", INVENTORY_READ),
                holding(new ActiveGrant("req-1", "task-0", "dev"), new ActiveGrant("req-2", "task-0", "staging")));

        // then
        assertEquals(Outcome.APPROVED, decision.outcome());
    }

    // --- caps

    @Test
    void shouldDenyWhenMoreDistinctResourcesAreAskedThanTheCap() {
        // given: three distinct resources (the same one twice counts once)
        AccessQuery query = query("staging", 60, "", INVENTORY_READ, INVENTORY_WRITE,
                new ResourceAccess("http", "billing-api", List.of("read")), new ResourceAccess("http", "api-7", List.of("read")));

        // when
        Decision decision = ENGINE.decide(query);

        // then
        assertEquals(Optional.of(DenyCode.TOO_MANY_RESOURCES), decision.denyCode());
        assertEquals(List.of("3 distinct resources requested; policy guarded-7 allows at most 2 per request "
                + "(caps.maxResourcesPerRequest)"), decision.reasons());
    }

    @Test
    void shouldAllowWhenDistinctResourcesAreExactlyTheCap() {
        // when
        Decision decision = ENGINE.decide(query("staging", 60, "", INVENTORY_READ, new ResourceAccess("http", "billing-api", List.of("read"))));

        // then
        assertEquals(Outcome.APPROVED, decision.outcome());
    }

    @Test
    void shouldDenyWhenWorkloadAlreadyHoldsTheMostActiveGrants() {
        // when
        Decision decision = ENGINE.decide(query("staging", 60, "", INVENTORY_READ), holding(
                new ActiveGrant("req-1", "task-a", "staging"), new ActiveGrant("req-2", "task-b", "staging"),
                new ActiveGrant("req-3", "task-c", "dev")));

        // then
        assertEquals(Optional.of(DenyCode.TOO_MANY_ACTIVE_GRANTS), decision.denyCode());
        assertEquals(List.of("workload " + DEPLOYER + " already holds 3 active grants (reserved or issued); policy guarded-7 "
                + "allows at most 3 (caps.maxActiveGrantsPerWorkload)"), decision.reasons());
    }

    @Test
    void shouldAllowWhenWorkloadHoldsOneGrantFewerThanTheCap() {
        // when
        Decision decision = ENGINE.decide(query("staging", 60, "", INVENTORY_READ), holding(
                new ActiveGrant("req-1", "task-a", "staging"), new ActiveGrant("req-2", "task-b", "staging")));

        // then
        assertEquals(Outcome.APPROVED, decision.outcome());
    }

    @Test
    void shouldCountAReservedGrantOfTheSameTaskWhenTaskIsAtItsCap() {
        // given: task-1 holds one issued grant and one reserved (approved or pending, not yet issued)
        WorkloadState state = holding(new ActiveGrant("req-issued", "task-1", "staging"),
                new ActiveGrant("req-reserved", "task-1", "staging"));

        // when
        Decision decision = ENGINE.decide(query("staging", 60, "", INVENTORY_READ), state);

        // then
        assertEquals(Optional.of(DenyCode.TOO_MANY_TASK_GRANTS), decision.denyCode());
        assertEquals(List.of("task 'task-1' of workload " + DEPLOYER + " already holds 2 active grants (reserved or issued); "
                + "policy guarded-7 allows at most 2 per task (caps.maxGrantsPerTask)"), decision.reasons());
    }

    @Test
    void shouldNotCountOtherTasksWhenCheckingTheTaskCap() {
        // when
        Decision decision = ENGINE.decide(query("staging", 60, "", INVENTORY_READ), holding(
                new ActiveGrant("req-1", "task-1", "staging"), new ActiveGrant("req-2", "task-2", "staging")));

        // then
        assertEquals(Outcome.APPROVED, decision.outcome());
    }

    @Test
    void shouldCheckSeparationBeforeCapsWhenBothApply() {
        // when
        Decision decision = ENGINE.decide(query("prod", 60, "", INVENTORY_READ), holding(
                new ActiveGrant("req-1", "task-1", "dev"), new ActiveGrant("req-2", "task-1", "dev"),
                new ActiveGrant("req-3", "task-1", "dev")));

        // then
        assertEquals(Optional.of(DenyCode.ENVIRONMENT_SEPARATION), decision.denyCode());
    }

    // --- break-glass

    @Test
    void shouldGrantBreakGlassByBreakGlassRuleWithTtlCappedWhenJustified() {
        // when
        Decision decision = ENGINE.decide(breakGlass("prod", 3600, "INC-42 inventory down", INVENTORY_READ_WRITE));

        // then
        assertEquals(Outcome.APPROVED, decision.outcome());
        assertTrue(decision.breakGlass());
        assertEquals(List.of(INVENTORY_READ_WRITE), decision.grantedResources());
        assertEquals(300, decision.grantedTtlSeconds());
        assertEquals(List.of("deployer-prod-break-glass"), decision.matchedRules());
        assertEquals(List.of("granted [read, write] on http/inventory-api by deployer-prod-break-glass",
                "ttl narrowed from 3600 s to 300 s by the break-glass maximum",
                "break-glass request: decided by break-glass rules only"), decision.reasons());
    }

    @Test
    void shouldDenyBreakGlassWhenItHasNoJustification() {
        // when
        Decision decision = ENGINE.decide(breakGlass("prod", 60, " ", INVENTORY_READ));

        // then
        assertEquals(Optional.of(DenyCode.BREAK_GLASS_NOT_ALLOWED), decision.denyCode());
        assertEquals(List.of("a break-glass request needs a justification"), decision.reasons());
        assertTrue(decision.breakGlass());
    }

    @Test
    void shouldDenyBreakGlassWhenNoBreakGlassRuleCoversIt() {
        // when: in staging only normal rules exist, and they would allow this very request
        Decision decision = ENGINE.decide(breakGlass("staging", 60, "INC-42", INVENTORY_READ));

        // then
        assertEquals(Optional.of(DenyCode.BREAK_GLASS_NOT_ALLOWED), decision.denyCode());
        assertEquals(List.of("no break-glass rule of policy guarded-7 covers " + DEPLOYER + " in staging for [read] on "
                + "http/inventory-api"), decision.reasons());
    }

    @Test
    void shouldNotApplyBreakGlassRuleWhenRequestIsNotBreakGlass() {
        // given: the break-glass rule would allow inventory writes in prod
        AccessQuery query = query("prod", 60, "INC-42", INVENTORY_READ_WRITE);

        // when
        Decision decision = ENGINE.decide(query);

        // then: reads by the normal rule; writes only pending the approval rule, never by the break-glass rule
        assertEquals(List.of("deployer-everywhere-reads", "deployer-prod-writes-with-approval"), decision.matchedRules());
        assertEquals(Outcome.PENDING_APPROVAL, decision.outcome());
    }

    @Test
    void shouldNotApplyNormalAllowRulesWhenRequestIsBreakGlass() {
        // given: a break-glass request for a resource only a normal rule allows
        AccessQuery query = breakGlass("prod", 60, "INC-42", INVENTORY_READ, new ResourceAccess("http", "api-7", List.of("read")));

        // when
        Decision decision = ENGINE.decide(query);

        // then: api-7 is not granted although deployer-everywhere-reads would grant it to a normal request
        assertEquals(List.of(INVENTORY_READ), decision.grantedResources());
        assertTrue(decision.reasons().contains("no break-glass allow rule grants " + DEPLOYER + " any of [read] on http/api-7 in prod"),
                decision.reasons().toString());
    }

    @Test
    void shouldStillApplyDenyRulesWhenRequestIsBreakGlass() {
        // when
        Decision decision = ENGINE.decide(breakGlass("prod", 60, "INC-42", new ResourceAccess("http", "billing-api", List.of("read", "write"))));

        // then
        assertEquals(List.of(new ResourceAccess("http", "billing-api", List.of("read"))), decision.grantedResources());
        assertEquals(List.of("deployer-prod-break-glass", "no-billing-writes"), decision.matchedRules());
    }

    @Test
    void shouldNeverCrossSeparationWhenRequestIsBreakGlass() {
        // when
        Decision decision = ENGINE.decide(breakGlass("prod", 60, "INC-42", INVENTORY_READ),
                holding(new ActiveGrant("req-1", "task-0", "dev")));

        // then
        assertEquals(Optional.of(DenyCode.ENVIRONMENT_SEPARATION), decision.denyCode());
        assertTrue(decision.breakGlass());
    }

    @Test
    void shouldNeverCrossBindingOrCompromiseWhenRequestIsBreakGlass() {
        // when
        Decision bound = ENGINE.decide(breakGlass("prod", 60, "INC-42", INVENTORY_READ).withClaims(Map.of("environment", "dev")));
        Decision compromised = ENGINE.decide(breakGlass("prod", 60, "INC-42", INVENTORY_READ), WorkloadState.compromised("alert"));

        // then
        assertEquals(Optional.of(DenyCode.ENVIRONMENT_BINDING), bound.denyCode());
        assertEquals(Optional.of(DenyCode.WORKLOAD_COMPROMISED), compromised.denyCode());
    }

    @Test
    void shouldKeepRequestedTtlWhenBelowTheBreakGlassCap() {
        // when
        Decision decision = ENGINE.decide(breakGlass("prod", 120, "INC-42", INVENTORY_READ));

        // then
        assertEquals(120, decision.grantedTtlSeconds());
    }

    // --- approval

    @Test
    void shouldBePendingApprovalWithScopeAndTtlWhenOnlyAnApprovalRuleGrants() {
        // when
        Decision decision = ENGINE.decide(query("prod", 3600, "CHG-1 rollout", INVENTORY_WRITE));

        // then
        assertEquals(Outcome.PENDING_APPROVAL, decision.outcome());
        assertEquals(List.of(INVENTORY_WRITE), decision.grantedResources());
        assertEquals(900, decision.grantedTtlSeconds());
        assertEquals(Optional.empty(), decision.denyCode());
        assertEquals(List.of("deployer-prod-writes-with-approval"), decision.matchedRules());
        assertEquals(List.of("granted [write] on http/inventory-api by deployer-prod-writes-with-approval",
                "ttl narrowed from 3600 s to 900 s by rule deployer-prod-writes-with-approval",
                "[write] on http/inventory-api needs a human approval (rule deployer-prod-writes-with-approval)",
                "pending approval: nothing is granted until a human approves; without an approval within 600 s the request expires"),
                decision.reasons());
    }

    @Test
    void shouldBePendingApprovalForTheWholeScopeWhenPartNeedsApproval() {
        // when: read needs no approval, write does
        Decision decision = ENGINE.decide(query("prod", 60, "CHG-1", INVENTORY_READ_WRITE));

        // then
        assertEquals(Outcome.PENDING_APPROVAL, decision.outcome());
        assertEquals(List.of(INVENTORY_READ_WRITE), decision.grantedResources());
        assertEquals(List.of("deployer-everywhere-reads", "deployer-prod-writes-with-approval"), decision.matchedRules());
    }

    @Test
    void shouldApproveWithoutApprovalWhenNothingGrantedNeedsIt() {
        // when
        Decision decision = ENGINE.decide(query("prod", 60, "", INVENTORY_READ));

        // then
        assertEquals(Outcome.APPROVED, decision.outcome());
    }

    @Test
    void shouldNotNeedApprovalWhenAnotherRuleGrantsTheSameActionFreely() {
        // given: two rules grant write; only one requires approval
        PolicyRule freely = new PolicyRule("writes-freely", "", GlobPattern.compile(DEPLOYER), java.util.Set.of("prod"),
                List.of(new ResourceRule("http", List.of(GlobPattern.compile("inventory-api")), java.util.Set.of("write"))),
                OptionalLong.empty());
        PolicyRule withApproval = new PolicyRule("writes-with-approval", "", GlobPattern.compile(DEPLOYER), java.util.Set.of("prod"),
                List.of(new ResourceRule("http", List.of(GlobPattern.compile("inventory-api")), java.util.Set.of("write"))),
                OptionalLong.empty(), Effect.ALLOW, Optional.empty(), false, true);
        PolicyEngine engine = new PolicyEngine(new Policy("v1", 3600, java.util.Set.of("prod"), List.of(withApproval, freely)), CLOCK);

        // when
        Decision decision = engine.decide(query("prod", 60, "", INVENTORY_WRITE));

        // then
        assertEquals(Outcome.APPROVED, decision.outcome());
    }

    @Test
    void shouldDenyNotPendWhenDenyRuleRemovesWhatNeedsApproval() {
        // given: a freeze on prod writes
        Policy policy = PolicyParser.parse(BUNDLE + """
                  - id: prod-freeze
                    effect: deny
                    workload: "spiffe://dev.local/**"
                    environments: [prod]
                    resources: [{type: http, ids: ["**"], actions: [write]}]
                """, "freeze.yaml");

        // when
        Decision decision = new PolicyEngine(policy, CLOCK).decide(query("prod", 60, "CHG-1", INVENTORY_WRITE));

        // then
        assertEquals(Optional.of(DenyCode.DENIED_BY_RULE), decision.denyCode());
    }

    // --- explain

    @Test
    void shouldExplainWithoutRuleEvaluationsWhenRefusedByLiveState() {
        // when
        Explanation explanation = ENGINE.explain(query("prod", 60, "", INVENTORY_READ), holding(new ActiveGrant("r", "t", "dev")));

        // then
        assertEquals(Optional.of(DenyCode.ENVIRONMENT_SEPARATION), explanation.decision().denyCode());
        assertEquals(List.of(), explanation.evaluations());
    }

    @Test
    void shouldExplainWhyBreakGlassAndNormalRulesDidNotApply() {
        // when
        Explanation normal = ENGINE.explain(query("prod", 60, "", INVENTORY_READ));
        Explanation emergency = ENGINE.explain(breakGlass("prod", 60, "INC-1", INVENTORY_READ));

        // then
        assertEquals(ENGINE.decide(query("prod", 60, "", INVENTORY_READ)), normal.decision());
        assertEquals(new RuleEvaluation("deployer-prod-break-glass", Effect.ALLOW, false,
                "a break-glass rule: it applies only to break-glass requests"), normal.evaluations().get(3));
        assertEquals(new RuleEvaluation("deployer-everywhere-reads", Effect.ALLOW, false,
                "not a break-glass rule: a break-glass request is decided by break-glass rules only"), emergency.evaluations().get(0));
        assertEquals(new RuleEvaluation("deployer-prod-break-glass", Effect.ALLOW, true, "allows [read] on http/inventory-api"),
                emergency.evaluations().get(3));
    }
}
