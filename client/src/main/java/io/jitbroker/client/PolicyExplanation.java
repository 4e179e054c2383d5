package io.jitbroker.client;

import java.util.List;

/**
 * What policy would decide, and why (POST /v1/policy/explain).
 *
 * @param evaluatedAgainst {@code current} (the running bundle) or {@code proposed}
 * @param evaluations      one per rule: did it match, and why (not)
 */
public record PolicyExplanation(String outcome, List<Resource> grantedResources, long grantedTtlSeconds,
                                List<String> reasons, List<String> matchedRules, String policyVersion,
                                String evaluatedAgainst, List<RuleEvaluation> evaluations) {

    public PolicyExplanation {
        grantedResources = grantedResources == null ? List.of() : List.copyOf(grantedResources);
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        matchedRules = matchedRules == null ? List.of() : List.copyOf(matchedRules);
        evaluations = evaluations == null ? List.of() : List.copyOf(evaluations);
    }

    /** @param effect {@code allow} or {@code deny} */
    public record RuleEvaluation(String ruleId, String effect, boolean matched, String why) {
    }
}
