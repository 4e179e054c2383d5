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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
 * {@code kafka.streams.revocation} configuration block, started once the application has started,
 * its input topics are found co-partitioned and its hot path is warmed up ({@link TopologyWarmUp}),
 * closed on shutdown.
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
        Topology topology = RevocationTopology.build(eventSerdes(registrySerdes), metrics, configuration.toSettings(),
                tracing);
        LOG.debug("Revoker topology:\n{}", topology.describe());
        StreamsApp app = new StreamsApp("revocationStreams", topology, StreamsApp.config(settings, bootstrapServers,
                security.clientConfig(), registrySerdes.valueSerializer(), metrics), configuration.closeTimeout());
        // Consumer lag, commit latency, ... of the app's clients, as kafka_* meters.
        new KafkaStreamsMetrics(app.streams()).bindTo(meters);
        return app;
    }

    private static RevocationTopology.EventSerdes eventSerdes(RegistrySerdes registrySerdes) {
        return new RevocationTopology.EventSerdes(
                registrySerdes.valueSerde(Topics.GRANTS),
                registrySerdes.valueSerde(Topics.TASK_EVENTS),
                registrySerdes.valueSerde(Topics.CONTEXT_EVENTS),
                registrySerdes.valueSerde(Topics.REVOCATION_REQUESTS),
                registrySerdes.valueSerde(Topics.REVOCATIONS),
                registrySerdes.valueSerde(Topics.DEAD_LETTERS));
    }

    /**
     * Runs {@link TopologyWarmUp} on a topology of its own, with serdes and metrics of its own (nothing
     * counted) and no tracing (synthetic tasks must not show up as traces).
     */
    @Singleton
    static final class WarmUp {

        private final Map<String, Object> settings;
        private final RegistrySerdes registrySerdes;
        private final RevocationConfiguration configuration;

        WarmUp(@Property(name = "kafka.streams.revocation")
               @MapFormat(transformation = MapFormat.MapTransformation.FLAT) Map<String, Object> settings,
               RegistrySerdes registrySerdes, RevocationConfiguration configuration) {
            this.settings = settings;
            this.registrySerdes = registrySerdes;
            this.configuration = configuration;
        }

        void run() {
            if (configuration.warmUpTasks() <= 0) {
                return;
            }
            long started = System.nanoTime();
            RevocationTopology.EventSerdes serdes = eventSerdes(registrySerdes);
            Topology topology = RevocationTopology.build(serdes, new RevocationMetrics(new SimpleMeterRegistry()),
                    configuration.toSettings(), KafkaTracing.NOOP);
            long revocations = TopologyWarmUp.run(topology, settings, serdes.grants(), serdes.taskEvents(),
                    configuration.warmUpTasks());
            LOG.info("Warmed up on {} synthetic tasks ({} revocations, off the broker) in {} ms",
                    configuration.warmUpTasks(), revocations, (System.nanoTime() - started) / 1_000_000);
        }
    }

    @Singleton
    static final class Starter implements ApplicationEventListener<ApplicationStartupEvent> {

        private final StreamsApp app;
        private final String bootstrapServers;
        private final KafkaClientSecurity security;
        private final WarmUp warmUp;

        Starter(StreamsApp app, @Property(name = "kafka.bootstrap.servers") String bootstrapServers,
                KafkaClientSecurity security, WarmUp warmUp) {
            this.app = app;
            this.bootstrapServers = bootstrapServers;
            this.security = security;
            this.warmUp = warmUp;
        }

        @Override
        public void onApplicationEvent(ApplicationStartupEvent event) {
            // Fail fast: on input topics with unequal partition counts, events would miss their grants.
            InputPartitionsCheck.run(bootstrapServers, security);
            warmUp.run();
            app.start();
        }
    }
}
