package io.jitbroker.revocation.topology;

import io.jitbroker.events.v1.RevocationReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the revoker counts (Micrometer, so the topology needs no framework): revocations by reason,
 * how late TTL revocations are, terminal task events that matched no grant, and dead letters.
 */
public final class RevocationMetrics {

    public static final String REVOCATIONS = "jit.revocations";
    public static final String TTL_LATENESS = "jit.revocation.ttl.lateness";
    public static final String UNKNOWN_TASK_EVENTS = "jit.revocation.unknown.task.events";
    public static final String DEAD_LETTERS = "jit.revocation.dead.letters";

    private final MeterRegistry registry;
    private final Map<RevocationReason, Counter> revocations = new EnumMap<>(RevocationReason.class);
    private final Timer ttlLateness;
    private final Counter unknownTaskEvents;

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
        unknownTaskEvents = Counter.builder(UNKNOWN_TASK_EVENTS)
                .description("Task end events that matched no active grant (remembered in case the grant arrives later)")
                .register(registry);
    }

    public void revoked(RevocationReason reason) {
        revocations.get(reason).increment();
    }

    public void ttlLateness(Duration lateness) {
        ttlLateness.record(lateness.isNegative() ? Duration.ZERO : lateness);
    }

    public void unknownTaskEvent() {
        unknownTaskEvents.increment();
    }

    public void deadLetter(String sourceTopic) {
        Counter.builder(DEAD_LETTERS)
                .description("Undecodable records sent to the dead-letter topic, by source topic")
                .tag("topic", sourceTopic)
                .register(registry)
                .increment();
    }
}
