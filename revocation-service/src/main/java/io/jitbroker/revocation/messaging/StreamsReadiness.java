package io.jitbroker.revocation.messaging;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;

/**
 * /health is DOWN until the revoker's Kafka Streams app has reached RUNNING (state restored,
 * partitions assigned): before that, grants would not be revoked. After that it stays UP through
 * rebalances (scale-out) and goes DOWN if the app stops or fails.
 */
@Singleton
public class StreamsReadiness implements HealthIndicator {

    private static final String NAME = "revocationStreams";

    private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>();
    private final AtomicBoolean reachedRunning = new AtomicBoolean();

    /** Called by {@link RevocationStreams} on every state change of the app. */
    void onStateChange(KafkaStreams.State newState) {
        state.set(newState);
        if (newState == KafkaStreams.State.RUNNING) {
            reachedRunning.set(true);
        }
    }

    @Override
    public Publisher<HealthResult> getResult() {
        KafkaStreams.State current = state.get();
        boolean up = current == KafkaStreams.State.RUNNING
                || (current == KafkaStreams.State.REBALANCING && reachedRunning.get());
        String shown = current == null ? "NOT_CREATED" : current.name();
        return Publishers.just(HealthResult.builder(NAME, up ? HealthStatus.UP : HealthStatus.DOWN)
                .details(Map.of("state", shown, "reachedRunning", reachedRunning.get()))
                .build());
    }
}
