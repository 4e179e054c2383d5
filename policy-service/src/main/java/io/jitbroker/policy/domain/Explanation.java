package io.jitbroker.policy.domain;

import java.util.List;

/**
 * A decision together with what every rule of the policy made of the request.
 *
 * @param evaluations one per rule, in policy order; empty when the request was refused before any rule was
 *                    consulted (invalid request, unknown environment)
 */
public record Explanation(Decision decision, List<RuleEvaluation> evaluations) {

    public Explanation {
        evaluations = List.copyOf(evaluations);
    }
}
