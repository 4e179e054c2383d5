package io.jitbroker.policy.api;

import io.jitbroker.policy.domain.Explanation;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * The body of {@code POST /v1/policy/explain}: the decision the policy would make, and why.
 * {@code evaluatedAgainst} is {@code current} (the running bundle) or {@code proposed}.
 */
@Serdeable
public record ExplanationView(String outcome, List<ResourceView> grantedResources, long grantedTtlSeconds,
                              List<String> reasons, List<String> matchedRules, String policyVersion,
                              String evaluatedAgainst, List<EvaluationView> evaluations) {

    static ExplanationView of(Explanation explanation, String evaluatedAgainst) {
        var decision = explanation.decision();
        return new ExplanationView(decision.outcome().name(),
                decision.grantedResources().stream().map(r -> new ResourceView(r.type(), r.id(), r.actions())).toList(),
                decision.grantedTtlSeconds(), decision.reasons(), decision.matchedRules(), decision.policyVersion(),
                evaluatedAgainst, explanation.evaluations().stream()
                        .map(e -> new EvaluationView(e.ruleId(), e.effect().label(), e.matched(), e.why()))
                        .toList());
    }

    @Serdeable
    public record ResourceView(String type, String id, List<String> actions) {
    }

    /** What one rule made of the request; {@code effect} is {@code allow} or {@code deny}. */
    @Serdeable
    public record EvaluationView(String ruleId, String effect, boolean matched, String why) {
    }
}
