package io.jitbroker.request.metrics;

import io.jitbroker.request.domain.DecisionOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.Locale;

/**
 * The service's own counters (scraped at /prometheus as {@code jit_..._total}).
 */
@Singleton
public class RequestMetrics {

    /** Access requests by outcome: accepted, replayed (same Idempotency-Key), rejected, unavailable, overloaded (shed). */
    public static final String REQUESTS = "jit.requests";
    /** Task events published, by type. */
    public static final String TASK_EVENTS = "jit.task.events";
    /** Context events published, by type. */
    public static final String CONTEXT_EVENTS = "jit.context.events";
    /** Manual revocation requests published, by scope. */
    public static final String MANUAL_REVOCATIONS = "jit.manual.revocations";
    /** Enforcements recorded in the ledger (the first for each request). */
    public static final String ENFORCEMENTS = "jit.enforcements";
    /** Ledger rows changed by an event, by source topic. */
    public static final String LEDGER_UPDATES = "jit.ledger.updates";
    /** Events about a request the ledger does not know, by source topic. */
    public static final String LEDGER_UNKNOWN = "jit.ledger.unknown.requests";
    /** Break-glass access requests accepted (replays not counted). */
    public static final String BREAK_GLASS_REQUESTS = "jit.break.glass.requests";
    /** SREs' approvals published, by outcome: approved or denied. */
    public static final String APPROVALS = "jit.approvals";
    /** Policy decisions recorded in the ledger, by outcome: approved, denied, pending_approval. */
    public static final String DECISIONS = "jit.decisions";
    /** Denials recorded in the ledger, by deny code. */
    public static final String DENIALS = "jit.decisions.denied";
    /** Alerts recorded from jit.alerts.v1 (redeliveries not counted), by kind. */
    public static final String ALERTS = "jit.alerts";
    /** Records on jit.dead-letters.v1 that could not be read, logged and skipped (never dead-lettered again). */
    public static final String UNREADABLE_DEAD_LETTERS = "jit.dead.letters.unreadable";

    private final MeterRegistry registry;

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void request(String outcome) {
        registry.counter(REQUESTS, "outcome", outcome).increment();
    }

    public void breakGlassRequest() {
        registry.counter(BREAK_GLASS_REQUESTS).increment();
    }

    /** @param approved whether the SRE approved (outcome "approved") or denied ("denied") */
    public void approval(boolean approved) {
        registry.counter(APPROVALS, "outcome", approved ? "approved" : "denied").increment();
    }

    public void taskEvent(String type) {
        registry.counter(TASK_EVENTS, "type", type).increment();
    }

    public void contextEvent(String type) {
        registry.counter(CONTEXT_EVENTS, "type", type).increment();
    }

    public void manualRevocation(String scope) {
        registry.counter(MANUAL_REVOCATIONS, "scope", scope).increment();
    }

    public void enforcementRecorded() {
        registry.counter(ENFORCEMENTS).increment();
    }

    public void ledgerUpdated(String topic) {
        registry.counter(LEDGER_UPDATES, "topic", topic).increment();
    }

    public void ledgerUnknownRequest(String topic) {
        registry.counter(LEDGER_UNKNOWN, "topic", topic).increment();
    }

    /** @param denyCode the deny code of a denial; null otherwise */
    public void decision(DecisionOutcome outcome, String denyCode) {
        registry.counter(DECISIONS, "outcome", outcome.name().toLowerCase(Locale.ROOT)).increment();
        if (outcome == DecisionOutcome.DENIED) {
            registry.counter(DENIALS, "code", denyCode == null ? "NONE" : denyCode).increment();
        }
    }

    public void alertRecorded(String kind) {
        registry.counter(ALERTS, "kind", kind).increment();
    }

    public void unreadableDeadLetter() {
        registry.counter(UNREADABLE_DEAD_LETTERS).increment();
    }
}
