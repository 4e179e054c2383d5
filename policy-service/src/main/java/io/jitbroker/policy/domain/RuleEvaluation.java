package io.jitbroker.policy.domain;

/**
 * What one rule made of one request, for explanations.
 *
 * @param matched whether the rule took effect on at least one requested resource (granted or removed an action)
 * @param why     human-readable, per requested resource where it matters
 */
public record RuleEvaluation(String ruleId, Effect effect, boolean matched, String why) {
}
