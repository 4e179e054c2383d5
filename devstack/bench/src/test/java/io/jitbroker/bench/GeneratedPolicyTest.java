package io.jitbroker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.policy.domain.Decision;
import io.jitbroker.policy.domain.Outcome;
import io.jitbroker.policy.domain.Policy;
import io.jitbroker.policy.domain.PolicyEngine;
import io.jitbroker.policy.domain.PolicyRule;
import io.jitbroker.policy.domain.ResourceAccess;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GeneratedPolicyTest {

    @ParameterizedTest
    @ValueSource(ints = {10, 100, 1000})
    void shouldApproveTheBenchmarkRequestByTheLastRuleAloneWhenEveryRuleHasACondition(int ruleCount) {
        // given
        Policy policy = GeneratedPolicy.policy(ruleCount, true);

        // when
        Decision decision = new PolicyEngine(policy).decide(GeneratedPolicy.query());

        // then
        assertEquals(ruleCount, policy.rules().size());
        assertTrue(policy.rules().stream().allMatch(rule -> rule.condition().isPresent()), "every rule has a CEL condition");
        assertEquals(GeneratedPolicy.TARGET_RULE_ID, policy.rules().get(ruleCount - 1).id());
        assertEquals(Outcome.APPROVED, decision.outcome(), decision.reasons().toString());
        assertEquals(List.of(GeneratedPolicy.TARGET_RULE_ID), decision.matchedRules());
        assertEquals(List.of(new ResourceAccess("http", "payments-api", List.of("read", "write"))), decision.grantedResources());
        assertEquals(600, decision.grantedTtlSeconds());
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 100, 1000})
    void shouldGiveTheSameDecisionWhenTheConditionsAreLeftOut(int ruleCount) {
        // given
        Policy policy = GeneratedPolicy.policy(ruleCount, false);

        // when
        Decision decision = new PolicyEngine(policy).decide(GeneratedPolicy.query());

        // then
        assertTrue(policy.rules().stream().noneMatch(rule -> rule.condition().isPresent()), "no rule has a condition");
        assertEquals(Outcome.APPROVED, decision.outcome(), decision.reasons().toString());
        assertEquals(List.of(GeneratedPolicy.TARGET_RULE_ID), decision.matchedRules());
        assertEquals(600, decision.grantedTtlSeconds());
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 1000})
    void shouldMixWorkloadPatternsAndRulesThatApplyToTheRequestWhenLarge(int ruleCount) {
        // given
        List<PolicyRule> rules = GeneratedPolicy.policy(ruleCount, true).rules();

        // when
        long exact = rules.stream().filter(rule -> !rule.workload().text().contains("*")).count();
        long oneSegment = rules.stream().filter(rule -> rule.workload().text().endsWith("/*")).count();
        long subtree = rules.stream().filter(rule -> rule.workload().text().endsWith("/**")).count();
        long applying = rules.stream()
                .filter(rule -> rule.appliesTo(GeneratedPolicy.TARGET_WORKLOAD, GeneratedPolicy.TARGET_ENVIRONMENT)).count();

        // then
        assertEquals(ruleCount, exact + oneSegment + subtree);
        assertTrue(exact > 0 && oneSegment > 0 && subtree > 0, exact + " / " + oneSegment + " / " + subtree);
        // 15 % of the rules before the target are trust-domain-wide; the target takes the place of the last one.
        assertEquals(3 * ruleCount / 20, applying, "the target rule and the trust-domain-wide rules apply to the request");
    }
}
