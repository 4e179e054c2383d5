package io.jitbroker.revocation.kafka;

import io.jitbroker.revocation.config.RevocationConfiguration;
import io.jitbroker.contracts.Topics;
import io.jitbroker.kafka.KafkaClientSecurity;
import io.jitbroker.kafka.KafkaTracing;
import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.revocation.metrics.RevocationMetrics;
import io.jitbroker.revocation.topology.RevocationTopology;
import io.jitbroker.streams.StreamsApp;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.runtime.event.ApplicationStartupEvent;
import jakarta.inject.Singleton;
import java.util.Map;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revoker's Kafka Streams app: built from {@link RevocationTopology} and the
 * {@code kafka.streams.revocation} configuration block, started once the application has started
 * and its input topics are found co-partitioned, closed on shutdown.
 */
@Factory
public class RevocationStreams {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationStreams.class);

    @Singleton
    RevocationMetrics revocationMetrics(MeterRegistry meterRegistry) {
        return new RevocationMetrics(meterRegistry);
    }

    @Singleton
    @Bean(preDestroy = "close")
    StreamsApp revocationStreamsApp(@Property(name = "kafka.streams.revocation")
                                    @MapFormat(transformation = MapFormat.MapTransformation.FLAT) Map<String, Object> settings,
                                    @Property(name = "kafka.bootstrap.servers") String bootstrapServers,
                                    RegistrySerdes registrySerdes, KafkaClientSecurity security, RevocationMetrics metrics,
                                    RevocationConfiguration configuration, MeterRegistry meters, KafkaTracing tracing) {
        RevocationTopology.EventSerdes serdes = new RevocationTopology.EventSerdes(
                registrySerdes.valueSerde(Topics.GRANTS),
                registrySerdes.valueSerde(Topics.TASK_EVENTS),
                registrySerdes.valueSerde(Topics.CONTEXT_EVENTS),
                registrySerdes.valueSerde(Topics.REVOCATION_REQUESTS),
                registrySerdes.valueSerde(Topics.REVOCATIONS),
                registrySerdes.valueSerde(Topics.DEAD_LETTERS));
        Topology topology = RevocationTopology.build(serdes, metrics, configuration.toSettings(), tracing);
        LOG.debug("Revoker topology:\n{}", topology.describe());
        StreamsApp app = new StreamsApp("revocationStreams", topology, StreamsApp.config(settings, bootstrapServers,
                security.clientConfig(), registrySerdes.valueSerializer(), metrics), configuration.closeTimeout());
        // Consumer lag, commit latency, ... of the app's clients, as kafka_* meters.
        new KafkaStreamsMetrics(app.streams()).bindTo(meters);
        return app;
    }

    @Singleton
    static final class Starter implements ApplicationEventListener<ApplicationStartupEvent> {

        private final StreamsApp app;
        private final String bootstrapServers;
        private final KafkaClientSecurity security;

        Starter(StreamsApp app, @Property(name = "kafka.bootstrap.servers") String bootstrapServers,
                KafkaClientSecurity security) {
            this.app = app;
            this.bootstrapServers = bootstrapServers;
            this.security = security;
        }

        @Override
        public void onApplicationEvent(ApplicationStartupEvent event) {
            // Fail fast: on input topics with unequal partition counts, events would miss their grants.
            InputPartitionsCheck.run(bootstrapServers, security);
            app.start();
        }
    }
}
