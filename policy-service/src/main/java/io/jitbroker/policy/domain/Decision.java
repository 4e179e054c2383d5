package io.jitbroker.policy.domain;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The policy's answer to one request.
 *
 * @param grantedResources         what is granted, never more than asked; sorted by type then id, actions distinct and sorted; empty when denied
 * @param grantedTtlSeconds        never more than asked; 0 when denied
 * @param heartbeatIntervalSeconds the heartbeat the grant requires: the one asked for, capped at the granted TTL;
 *                                 empty when none was asked for and always empty when denied
 * @param reasons                  human-readable: why approved, what was narrowed, or why denied
 * @param matchedRules             ids of the rules that decided, in policy order: allow rules that granted something
 *                                 and deny rules that took something away
 * @param policyVersion            the version of the policy that decided
 */
public record Decision(Outcome outcome, List<ResourceAccess> grantedResources, long grantedTtlSeconds,
                       OptionalLong heartbeatIntervalSeconds, List<String> reasons, List<String> matchedRules,
                       String policyVersion) {

    public Decision {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(policyVersion, "policyVersion");
        Objects.requireNonNull(heartbeatIntervalSeconds, "heartbeatIntervalSeconds");
        grantedResources = List.copyOf(grantedResources);
        reasons = List.copyOf(reasons);
        matchedRules = List.copyOf(matchedRules);
        if (outcome == Outcome.DENIED
                && (!grantedResources.isEmpty() || grantedTtlSeconds != 0 || heartbeatIntervalSeconds.isPresent())) {
            throw new IllegalArgumentException("a denial grants nothing");
        }
        if (outcome == Outcome.APPROVED && (grantedResources.isEmpty() || grantedTtlSeconds <= 0)) {
            throw new IllegalArgumentException("an approval grants something for some time");
        }
        if (heartbeatIntervalSeconds.isPresent()
                && (heartbeatIntervalSeconds.getAsLong() <= 0 || heartbeatIntervalSeconds.getAsLong() > grantedTtlSeconds)) {
            throw new IllegalArgumentException("a heartbeat interval is positive and within the granted ttl");
        }
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("every decision carries its reason");
        }
    }

    public static Decision denied(String policyVersion, List<String> reasons) {
        return new Decision(Outcome.DENIED, List.of(), 0, OptionalLong.empty(), reasons, List.of(), policyVersion);
    }
}
