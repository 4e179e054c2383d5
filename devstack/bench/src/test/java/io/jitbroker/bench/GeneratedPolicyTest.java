package io.jitbroker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.policy.domain.Decision;
import io.jitbroker.policy.domain.Outcome;
import io.jitbroker.policy.domain.Policy;
import io.jitbroker.policy.domain.PolicyEngine;
import io.jitbroker.policy.domain.PolicyRule;
import io.jitbroker.policy.domain.ResourceAccess;
import io.jitbroker.policy.domain.ResourceRule;
import io.jitbroker.policy.domain.RuleEvaluation;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GeneratedPolicyTest {

    @ParameterizedTest
    @ValueSource(ints = {10, 100, 1000})
    void shouldApproveTheBenchmarkRequestByTheLastRuleAloneWhenMostRulesHaveACondition(int ruleCount) {
        // given
        Policy policy = GeneratedPolicy.policy(ruleCount, true);

        // when
        Decision decision = new PolicyEngine(policy).decide(GeneratedPolicy.query(), GeneratedPolicy.state());

        // then
        assertEquals(ruleCount, policy.rules().size());
        long conditional = policy.rules().stream().filter(rule -> rule.condition().isPresent()).count();
        assertTrue(conditional >= ruleCount * 85 / 100, conditional + " of " + ruleCount + " rules have a condition");
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
        Decision decision = new PolicyEngine(policy).decide(GeneratedPolicy.query(), GeneratedPolicy.state());

        // then
        assertTrue(policy.rules().stream().noneMatch(rule -> rule.condition().isPresent()), "no rule has a condition");
        assertEquals(Outcome.APPROVED, decision.outcome(), decision.reasons().toString());
        assertEquals(List.of(GeneratedPolicy.TARGET_RULE_ID), decision.matchedRules());
        assertEquals(600, decision.grantedTtlSeconds());
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 1000})
    void shouldLookLikeAnOrganisationsBundleWhereAFewRulesSpeakToTheRequestWhenLarge(int ruleCount) {
        // given
        List<PolicyRule> rules = GeneratedPolicy.policy(ruleCount, true).rules();

        // when
        long exact = rules.stream().filter(rule -> !rule.workload().text().contains("*")).count();
        long oneSegment = rules.stream().filter(rule -> rule.workload().text().endsWith("/*")).count();
        long subtree = rules.stream().filter(rule -> rule.workload().text().endsWith("/**")).count();
        Set<String> workloads = rules.stream().map(rule -> rule.workload().text()).collect(Collectors.toSet());
        Set<String> environments = rules.stream().flatMap(rule -> rule.environments().stream()).collect(Collectors.toSet());
        Set<String> types = rules.stream().flatMap(rule -> rule.resources().stream()).map(ResourceRule::type)
                .collect(Collectors.toSet());
        Set<String> conditions = rules.stream().flatMap(rule -> rule.condition().stream()).map(Object::toString)
                .collect(Collectors.toSet());
        List<String> speaking = rules.stream()
                .filter(rule -> rule.appliesTo(GeneratedPolicy.TARGET_WORKLOAD, GeneratedPolicy.TARGET_ENVIRONMENT))
                .filter(rule -> rule.covers("http", "payments-api"))
                .map(PolicyRule::id)
                .toList();

        // then
        assertEquals(ruleCount, exact + oneSegment + subtree);
        assertTrue(exact > 0 && oneSegment > 0 && subtree > 0, exact + " / " + oneSegment + " / " + subtree);
        assertTrue(workloads.size() > ruleCount / 2, workloads.size() + " distinct workloads");
        assertEquals(Set.copyOf(GeneratedPolicy.ENVIRONMENTS), environments);
        assertEquals(Set.copyOf(GeneratedPolicy.RESOURCE_TYPES), types);
        assertTrue(conditions.size() > ruleCount / 2, conditions.size() + " distinct conditions");
        assertEquals(List.of("prod-changes-need-ticket", "prod-short-api-reads", "payments-team-oncall-reads",
                GeneratedPolicy.TARGET_RULE_ID), speaking);
        assertEquals(GeneratedPolicy.OTHER_RULES_SPEAKING_TO_THE_REQUEST + 1, speaking.size());
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 1000})
    void shouldApplyEveryRuleAndEvaluateEveryConditionButApproveByTheLastRuleAloneWhenAllMatch(int ruleCount) {
        // given
        Policy policy = GeneratedPolicy.allMatchPolicy(ruleCount);

        // when
        Decision decision = new PolicyEngine(policy).decide(GeneratedPolicy.query(), GeneratedPolicy.state());
        List<RuleEvaluation> evaluations = new PolicyEngine(policy).explain(GeneratedPolicy.query(), GeneratedPolicy.state())
                .evaluations();

        // then: every rule speaks to the request and has its own condition; only the last one holds
        assertEquals(ruleCount, policy.rules().size());
        assertTrue(policy.rules().stream().allMatch(rule -> rule.condition().isPresent()
                && rule.appliesTo(GeneratedPolicy.TARGET_WORKLOAD, GeneratedPolicy.TARGET_ENVIRONMENT)
                && rule.covers("http", "payments-api")), "a rule does not apply to the request");
        long distinct = policy.rules().stream().map(rule -> rule.condition().orElseThrow().toString()).distinct().count();
        assertTrue(distinct > ruleCount / 2, distinct + " distinct conditions");
        assertEquals(ruleCount, evaluations.size());
        assertEquals(List.of(GeneratedPolicy.TARGET_RULE_ID),
                evaluations.stream().filter(RuleEvaluation::matched).map(RuleEvaluation::ruleId).toList());
        assertEquals(Outcome.APPROVED, decision.outcome(), decision.reasons().toString());
        assertEquals(List.of(GeneratedPolicy.TARGET_RULE_ID), decision.matchedRules());
    }
}
