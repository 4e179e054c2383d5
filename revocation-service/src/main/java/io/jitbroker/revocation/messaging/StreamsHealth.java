package io.jitbroker.revocation.messaging;

import io.jitbroker.schemas.streams.StreamsReadiness;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;

/**
 * /health is DOWN until the revoker's Kafka Streams app has reached RUNNING (state restored,
 * partitions assigned): before that, grants would not be revoked. After that it stays UP through
 * rebalances (scale-out) and goes DOWN if the app stops or fails.
 */
@Singleton
public class StreamsHealth implements HealthIndicator {

    private static final String NAME = "revocationStreams";

    private final StreamsReadiness readiness = new StreamsReadiness();

    /** Called by {@link RevocationStreams} on every state change of the app. */
    void onStateChange(KafkaStreams.State newState) {
        readiness.onStateChange(newState);
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(HealthResult.builder(NAME, readiness.ready() ? HealthStatus.UP : HealthStatus.DOWN)
                .details(Map.of("state", readiness.stateName(), "reachedRunning", readiness.reachedRunning()))
                .build());
    }
}
