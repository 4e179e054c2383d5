package io.jitbroker.micronaut.health;

import io.jitbroker.streams.StreamsApp;
import io.jitbroker.streams.StreamsReadiness;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * /health is DOWN until every Kafka Streams app of the service has reached RUNNING (state restored,
 * partitions assigned): before that, its events are not processed. After that it stays UP through
 * rebalances (scale-out) and goes DOWN if an app stops or fails.
 */
@Singleton
@Requires(classes = StreamsApp.class)
@Requires(beans = StreamsApp.class)
public class StreamsHealthIndicator implements HealthIndicator {

    private final List<StreamsApp> apps;

    public StreamsHealthIndicator(List<StreamsApp> apps) {
        this.apps = apps;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        boolean ready = true;
        Map<String, Object> details = new LinkedHashMap<>();
        for (StreamsApp app : apps) {
            StreamsReadiness readiness = app.readiness();
            ready &= readiness.ready();
            details.put(app.name(), Map.of("state", readiness.stateName(), "reachedRunning", readiness.reachedRunning()));
        }
        return Publishers.just(HealthResult.builder("kafkaStreams", ready ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details)
                .build());
    }
}
