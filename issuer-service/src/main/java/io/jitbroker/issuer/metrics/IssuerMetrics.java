package io.jitbroker.issuer.metrics;

import io.jitbroker.issuer.domain.Enforcement;
import io.jitbroker.issuer.domain.PickupResult;
import io.jitbroker.issuer.domain.RevocationStateUnknown;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The counters and timers an SRE watches on this service (exported on /prometheus). */
@Singleton
public class IssuerMetrics {

    static final String REVOCATIONS_ENFORCED = "jit.issuer.revocations.enforced";
    static final String TIME_TO_ENFORCE = "jit.issuer.revocations.time-to-enforce";

    static final String TARGET_UNREACHABLE = "jit.issuer.postgres.target.unreachable.seconds";
    static final String PENDING_LOGIN_REVOCATIONS = "jit.issuer.postgres.revocations.pending";

    static final String FAIL_CLOSED = "jit.issuer.introspection.fail.closed";
    static final String WATERMARK_AGE = "jit.issuer.revocation.watermark.oldest.age.seconds";

    private final MeterRegistry registry;
    private final Clock clock;
    /** Per PostgreSQL target: since when its operations fail (absent while they succeed). */
    private final Map<String, Instant> unreachableSince = new ConcurrentHashMap<>();
    /** Per PostgreSQL target: revoked logins not dropped yet, as of the last retry pass. */
    private final Map<String, Integer> pendingLoginRevocations = new ConcurrentHashMap<>();

    public IssuerMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** A new grant was stored and announced (re-announcements of an existing grant are not counted). */
    public void grantIssued() {
        registry.counter("jit.issuer.grants.issued").increment();
    }

    public void pickup(PickupResult.Outcome outcome) {
        registry.counter("jit.issuer.credential.pickups", "outcome", outcome.name().toLowerCase(Locale.ROOT)).increment();
    }

    /**
     * @param inactiveReason why not active (an {@code InactiveReason}), or {@code none}: a spike of
     *                       dpop_proof_missing or dpop_proof_invalid is someone replaying a captured token
     */
    public void introspection(boolean active, String inactiveReason) {
        registry.counter("jit.issuer.introspections", "active", Boolean.toString(active),
                "reason", inactiveReason.toLowerCase(Locale.ROOT)).increment();
    }

    /**
     * An introspection or pickup answered 503 because the revocation state of its grant was unknown.
     *
     * @param call {@code introspect} or {@code pickup}
     */
    public void revocationStateUnknown(String call, RevocationStateUnknown.Reason reason) {
        Counter.builder(FAIL_CLOSED)
                .description("Introspections and pickups refused (503) because the revocations of the grant's partition "
                        + "were not confirmed applied within JIT_ISSUER_REVOCATION_MAX_STALENESS")
                .tag("call", call)
                .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
    }

    /**
     * The gauge {@value #WATERMARK_AGE}: the age of the oldest revocation watermark, +Inf when a partition
     * was never confirmed or the partitions are not known. Above the bound, some grants get 503.
     */
    public void revocationWatermarkAge(Supplier<Optional<Duration>> oldestAge) {
        Gauge.builder(WATERMARK_AGE, () -> oldestAge.get().map(age -> age.toMillis() / 1000.0)
                        .orElse(Double.POSITIVE_INFINITY))
                .description("Seconds since the least recently confirmed partition of jit.revocations.v1 was known "
                        + "applied; +Inf when one never was")
                .register(registry);
    }

    /** @param trigger {@code schedule} or {@code operator} */
    public void signingKeyRotated(String trigger) {
        registry.counter("jit.issuer.signing-keys.rotations", "trigger", trigger).increment();
    }

    public void signingKeyRetired() {
        registry.counter("jit.issuer.signing-keys.retirements").increment();
    }

    /** A periodic task failed (it is retried on its next pass); alert if this keeps rising. */
    public void housekeepingFailed(String task) {
        registry.counter("jit.issuer.housekeeping.failures", "task", task).increment();
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

    /**
     * An operation on a PostgreSQL target failed. The gauge {@value #TARGET_UNREACHABLE} then counts the
     * seconds since the first failure in a row: alert when it stays above a minute (revoked logins are
     * not dropped meanwhile; they still die at VALID UNTIL).
     */
    public void postgresTargetFailed(String target) {
        registerTargetGauges(target);
        unreachableSince.putIfAbsent(target, clock.instant());
        registry.counter("jit.issuer.postgres.target.failures", "target", target).increment();
    }

    public void postgresTargetReached(String target) {
        registerTargetGauges(target);
        unreachableSince.remove(target);
    }

    /** The revoked logins per target still to be dropped, as the last retry pass found them. */
    public void pendingLoginRevocations(Map<String, Integer> byTarget) {
        byTarget.keySet().forEach(this::registerTargetGauges);
        pendingLoginRevocations.replaceAll((target, count) -> byTarget.getOrDefault(target, 0));
        pendingLoginRevocations.putAll(byTarget);
    }

    private void registerTargetGauges(String target) {
        // Registering the same gauge again returns the existing one.
        Gauge.builder(TARGET_UNREACHABLE, unreachableSince, since -> {
                    Instant first = since.get(target);
                    return first == null ? 0 : Duration.between(first, clock.instant()).toMillis() / 1000.0;
                })
                .description("Seconds since operations on this PostgreSQL target started failing; 0 while it answers")
                .tag("target", target)
                .register(registry);
        Gauge.builder(PENDING_LOGIN_REVOCATIONS, pendingLoginRevocations, pending -> pending.getOrDefault(target, 0))
                .description("Revoked database logins on this target whose role is not dropped yet")
                .tag("target", target)
                .register(registry);
    }
}
