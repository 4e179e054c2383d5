package io.jitbroker.policy.domain;

import java.util.List;

/**
 * A decision together with what every rule of the policy made of the request.
 *
 * @param evaluations one per rule, in policy order; empty when the request was refused before any rule was
 *                    consulted (invalid request, no or unknown environment, the workload's live state, a
 *                    break-glass request without justification or break-glass rule)
 */
public record Explanation(Decision decision, List<RuleEvaluation> evaluations) {

    public Explanation {
        evaluations = List.copyOf(evaluations);
    }
}
