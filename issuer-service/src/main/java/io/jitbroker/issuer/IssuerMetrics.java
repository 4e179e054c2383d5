package io.jitbroker.issuer;

import io.jitbroker.issuer.domain.Enforcement;
import io.jitbroker.issuer.domain.PickupResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Locale;

/** The counters and timers an SRE watches on this service (exported on /prometheus). */
@Singleton
public class IssuerMetrics {

    static final String REVOCATIONS_ENFORCED = "jit.issuer.revocations.enforced";
    static final String TIME_TO_ENFORCE = "jit.issuer.revocations.time-to-enforce";

    private final MeterRegistry registry;

    public IssuerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A new grant was stored and announced (re-announcements of an existing grant are not counted). */
    public void grantIssued() {
        registry.counter("jit.issuer.grants.issued").increment();
    }

    public void pickup(PickupResult.Outcome outcome) {
        registry.counter("jit.issuer.credential.pickups", "outcome", outcome.name().toLowerCase(Locale.ROOT)).increment();
    }

    public void introspection(boolean active) {
        registry.counter("jit.issuer.introspections", "active", Boolean.toString(active)).increment();
    }

    /**
     * A revocation became durable here: introspection now denies the grant's credential. Counted and
     * timed once per grant (a redelivered revocation is re-announced, not re-counted).
     */
    public void revocationEnforced(Enforcement enforcement) {
        Counter.builder(REVOCATIONS_ENFORCED)
                .description("Revocations made durable at an enforcement backend")
                .tag("backend", enforcement.backend())
                .register(registry)
                .increment();
        // A histogram rather than client-side percentiles: Micrometer's Prometheus registry exports one
        // or the other, and only buckets can be aggregated across instances (histogram_quantile). The
        // SLO boundaries make "enforced within 100 ms / 1 s / 5 s" exact bucket counts.
        Timer.builder(TIME_TO_ENFORCE)
                .description("From a revocation's revokedAt (decided by revocation-service) to its enforcedAt here")
                .tag("backend", enforcement.backend())
                .publishPercentileHistogram()
                .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5))
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry)
                .record(enforcement.timeToEnforce());
    }

    /** A revocation named a grant this service does not know. */
    public void revocationForUnknownGrant() {
        registry.counter("jit.issuer.revocations.unknown.grant").increment();
    }
}
