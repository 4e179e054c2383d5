package io.jitbroker.policy.domain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The policy's answer to one request.
 *
 * @param outcome                  APPROVED, PENDING_APPROVAL (the scope and TTL are what a human approval would grant) or DENIED
 * @param grantedResources         what is (or, pending approval, would be) granted, never more than asked; sorted by type
 *                                 then id, actions distinct and sorted; empty when denied
 * @param grantedTtlSeconds        never more than asked; 0 when denied
 * @param heartbeatIntervalSeconds the heartbeat the grant requires: the one asked for, capped at the granted TTL;
 *                                 empty when none was asked for and always empty when denied
 * @param reasons                  human-readable: why approved, what was narrowed, what needs approval, or why denied
 * @param matchedRules             ids of the rules that decided, in policy order: allow rules that granted something
 *                                 and deny rules that took something away
 * @param policyVersion            the version of the policy that decided
 * @param denyCode                 why denied, present exactly when the outcome is DENIED
 * @param breakGlass               whether the request was a break-glass request (decided by break-glass rules only)
 */
public record Decision(Outcome outcome, List<ResourceAccess> grantedResources, long grantedTtlSeconds,
                       OptionalLong heartbeatIntervalSeconds, List<String> reasons, List<String> matchedRules,
                       String policyVersion, Optional<DenyCode> denyCode, boolean breakGlass) {

    public Decision {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(policyVersion, "policyVersion");
        Objects.requireNonNull(heartbeatIntervalSeconds, "heartbeatIntervalSeconds");
        Objects.requireNonNull(denyCode, "denyCode");
        grantedResources = List.copyOf(grantedResources);
        reasons = List.copyOf(reasons);
        matchedRules = List.copyOf(matchedRules);
        if (outcome == Outcome.DENIED
                && (!grantedResources.isEmpty() || grantedTtlSeconds != 0 || heartbeatIntervalSeconds.isPresent())) {
            throw new IllegalArgumentException("a denial grants nothing");
        }
        if (outcome != Outcome.DENIED && (grantedResources.isEmpty() || grantedTtlSeconds <= 0)) {
            throw new IllegalArgumentException("an approval (or one pending) grants something for some time");
        }
        if ((outcome == Outcome.DENIED) != denyCode.isPresent()) {
            throw new IllegalArgumentException("a denial, and only a denial, carries a deny code");
        }
        if (heartbeatIntervalSeconds.isPresent()
                && (heartbeatIntervalSeconds.getAsLong() <= 0 || heartbeatIntervalSeconds.getAsLong() > grantedTtlSeconds)) {
            throw new IllegalArgumentException("a heartbeat interval is positive and within the granted ttl");
        }
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("every decision carries its reason");
        }
    }

    /** An approval (or one pending) of a request that is not break-glass. */
    public Decision(Outcome outcome, List<ResourceAccess> grantedResources, long grantedTtlSeconds,
                    OptionalLong heartbeatIntervalSeconds, List<String> reasons, List<String> matchedRules,
                    String policyVersion) {
        this(outcome, grantedResources, grantedTtlSeconds, heartbeatIntervalSeconds, reasons, matchedRules, policyVersion,
                Optional.empty(), false);
    }

    public static Decision denied(String policyVersion, DenyCode code, List<String> reasons, List<String> matchedRules,
                                  boolean breakGlass) {
        return new Decision(Outcome.DENIED, List.of(), 0, OptionalLong.empty(), reasons, matchedRules, policyVersion,
                Optional.of(code), breakGlass);
    }

    public static Decision denied(String policyVersion, DenyCode code, List<String> reasons) {
        return denied(policyVersion, code, reasons, List.of(), false);
    }

    /**
     * A denial that is not the policy's (the request could not be decided at all).
     *
     * @deprecated give the deny code: {@link #denied(String, DenyCode, List)}; this one says NO_MATCHING_RULE
     */
    @Deprecated
    public static Decision denied(String policyVersion, List<String> reasons) {
        return denied(policyVersion, DenyCode.NO_MATCHING_RULE, reasons);
    }

    /** Whether the decision grants a scope, now (APPROVED) or once approved (PENDING_APPROVAL). */
    public boolean hasScope() {
        return outcome != Outcome.DENIED;
    }
}
