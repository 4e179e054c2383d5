package io.jitbroker.issuer.app;

import io.jitbroker.contracts.Topics;
import io.jitbroker.issuer.kafka.RevocationCatchUpProbe;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.reactivestreams.Publisher;

/**
 * /health is DOWN while a partition of jit.revocations.v1 this instance's consumer holds has not been
 * confirmed caught up within the bound (a newly held partition gets the bound to be confirmed): the
 * instance is cut off from the broker, or has stopped applying revocations, so a load balancer should
 * stop sending it traffic. An instance that holds no partition (more instances than partitions, or
 * between rebalances) is UP: it answers from the other instances' watermarks.
 */
@Singleton
public class RevocationWatermarksHealthIndicator implements HealthIndicator {

    static final String NAME = "revocationWatermarks";

    private final RevocationCatchUpProbe probe;
    private final RevocationStateView view;
    private final Clock clock;

    public RevocationWatermarksHealthIndicator(RevocationCatchUpProbe probe, RevocationStateView view, Clock clock) {
        this.probe = probe;
        this.view = view;
        this.clock = clock;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<Integer, Instant> held = probe.heldKnownSince();
        Instant now = clock.instant();
        Duration bound = view.maxStaleness();
        boolean fresh = true;
        Map<String, String> partitions = new TreeMap<>();
        for (Map.Entry<Integer, Instant> partition : held.entrySet()) {
            Duration age = Duration.between(partition.getValue(), now);
            boolean stale = age.compareTo(bound) > 0;
            fresh &= !stale;
            partitions.put(Integer.toString(partition.getKey()), String.format(Locale.ROOT,
                    "%s: known applied %.1f s ago", stale ? "stale" : "fresh", Math.max(0, age.toMillis()) / 1000.0));
        }
        String detail = held.isEmpty()
                ? "this instance holds no partition of " + Topics.Names.REVOCATIONS
                : fresh ? "every partition of " + Topics.Names.REVOCATIONS + " held here is confirmed applied"
                : "a partition of " + Topics.Names.REVOCATIONS + " held here has not been confirmed applied for more "
                        + "than " + bound.toMillis() + " ms: this instance is cut off from Kafka or not applying revocations";
        return Publishers.just(HealthResult.builder(NAME, fresh ? HealthStatus.UP : HealthStatus.DOWN)
                .details(Map.of("detail", detail, "partitions", partitions, "maxStaleness", bound.toString()))
                .build());
    }
}
