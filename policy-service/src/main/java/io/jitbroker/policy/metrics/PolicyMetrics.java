package io.jitbroker.policy.metrics;

import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.streams.DeadLetterCounter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/** policy-service's counters: decisions by outcome and deny code, approvals, policy-change revocations, dead letters. */
public final class PolicyMetrics implements DeadLetterCounter {

    public static final String DECISIONS = "jit.policy.decisions";

    private final MeterRegistry meters;

    public PolicyMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    public void decision(AccessDecision decision) {
        Counter.builder(DECISIONS)
                .description("Access decisions published, by outcome and deny code")
                .tag("outcome", decision.getOutcome().name().toLowerCase(Locale.ROOT))
                .tag("deny_code", decision.getDenyCode() == null ? "none" : decision.getDenyCode().name())
                .tag("break_glass", String.valueOf(decision.getBreakGlass()))
                .register(meters)
                .increment();
    }

    public void approval(boolean approved) {
        Counter.builder("jit.policy.approvals")
                .description("Pending requests closed by an SRE, by outcome")
                .tag("approved", String.valueOf(approved))
                .register(meters)
                .increment();
    }

    public void staleApproval() {
        Counter.builder("jit.policy.approvals.stale")
                .description("Approvals for requests that were not waiting (decided, expired or unknown)")
                .register(meters)
                .increment();
    }

    public void policyChangeRevocation() {
        Counter.builder("jit.policy.change.revocations")
                .description("Revocation requests sent because a new policy version no longer allows a grant")
                .register(meters)
                .increment();
    }

    @Override
    public void deadLetter(String sourceTopic) {
        Counter.builder("jit.policy.dead-letters")
                .description("Records sent to the dead-letter topic, by source topic")
                .tag("topic", sourceTopic)
                .register(meters)
                .increment();
    }
}
