package io.jitbroker.revocation.metrics;

import io.jitbroker.streams.DeadLetterCounter;
import io.jitbroker.events.v1.RevocationReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the revoker counts (Micrometer, so the topology needs no framework): revocations by reason,
 * how late deadline revocations are (TTL, heartbeat), events whose target had no active grant (by
 * input topic), records sent to the dead-letter topic, and the grants this instance watches.
 */
public final class RevocationMetrics implements DeadLetterCounter {

    public static final String REVOCATIONS = "jit.revocations";
    public static final String TTL_LATENESS = "jit.revocation.ttl.lateness";
    public static final String TIME_TO_REVOKE = "jit.revocation.time.to.revoke";
    public static final String HEARTBEAT_LATENESS = "jit.revocation.heartbeat.lateness";
    public static final String UNKNOWN_TARGETS = "jit.revocation.unknown.targets";
    public static final String DEAD_LETTERS = "jit.revocation.dead.letters";
    public static final String ACTIVE_GRANTS = "jit.revocation.active.grants";

    private final MeterRegistry registry;
    private final Map<RevocationReason, Counter> revocations = new EnumMap<>(RevocationReason.class);
    private final Timer ttlLateness;
    private final Timer heartbeatLateness;
    /** Active grants per Streams task (partition) this instance owns; the gauge is their sum. */
    private final Map<String, AtomicLong> activeGrantsByTask = new ConcurrentHashMap<>();

    public RevocationMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        for (RevocationReason reason : RevocationReason.values()) {
            revocations.put(reason, Counter.builder(REVOCATIONS)
                    .description("Grants revoked, by reason")
                    .tag("reason", reason.name())
                    .register(registry));
        }
        ttlLateness = Timer.builder(TTL_LATENESS)
                .description("How long after its expiresAt a grant was revoked for TTL (revokedAt - expiresAt)")
                .publishPercentileHistogram()
                .register(registry);
        heartbeatLateness = Timer.builder(HEARTBEAT_LATENESS)
                .description("How long after its heartbeat deadline a grant was revoked for a missed heartbeat")
                .publishPercentileHistogram()
                .register(registry);
        Gauge.builder(ACTIVE_GRANTS, activeGrantsByTask, RevocationMetrics::sum)
                .description("Grants this instance watches (issued, not yet revoked), over the partitions it owns")
                .register(registry);
    }

    public void revoked(RevocationReason reason) {
        revocations.get(reason).increment();
    }

    /** From the causing event's time to the revocation, by reason (events that found their grant here). */
    public void timeToRevoke(RevocationReason reason, Duration elapsed) {
        Timer.builder(TIME_TO_REVOKE)
                .description("From the event that caused a revocation (task end, request, context change) to the revocation")
                .tag("reason", reason.name())
                .publishPercentileHistogram()
                .register(registry)
                .record(elapsed.isNegative() ? Duration.ZERO : elapsed);
    }

    /** How late a deadline revocation came: TTL (after expiresAt) or heartbeat (after the deadline). */
    public void lateness(RevocationReason reason, Duration lateness) {
        Duration recorded = lateness.isNegative() ? Duration.ZERO : lateness;
        if (reason == RevocationReason.TTL_EXPIRED) {
            ttlLateness.record(recorded);
        } else if (reason == RevocationReason.HEARTBEAT_MISSED) {
            heartbeatLateness.record(recorded);
        }
    }

    /** An event matched no active grant: a task end of an unknown task, a context event of a workload with none, ... */
    public void unknownTarget(String inputTopic) {
        Counter.builder(UNKNOWN_TARGETS)
                .description("Events whose target (grant, task or workload) had no active grant, by input topic")
                .tag("input", inputTopic)
                .register(registry)
                .increment();
    }

    /** A record sent to the dead-letter topic: undecodable or invalid. */
    @Override
    public void deadLetter(String sourceTopic) {
        Counter.builder(DEAD_LETTERS)
                .description("Undecodable or invalid records sent to the dead-letter topic, by source topic")
                .tag("topic", sourceTopic)
                .register(registry)
                .increment();
    }

    /** The live count of active grants of one Streams task; its processors update it as grants come and go. */
    public AtomicLong activeGrantsOf(String streamsTaskId) {
        return activeGrantsByTask.computeIfAbsent(streamsTaskId, id -> new AtomicLong());
    }

    /** The task moved away or closed: its grants are no longer watched here. */
    public void forgetActiveGrantsOf(String streamsTaskId) {
        activeGrantsByTask.remove(streamsTaskId);
    }

    private static double sum(Map<String, AtomicLong> counts) {
        return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }
}
