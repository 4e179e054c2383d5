package io.jitbroker.policy.kafka;

import io.jitbroker.contracts.Topics;
import io.jitbroker.kafka.KafkaClientSecurity;
import io.jitbroker.kafka.KafkaTracing;
import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.policy.app.CurrentPolicy;
import io.jitbroker.policy.metrics.PolicyMetrics;
import io.jitbroker.policy.topology.PolicyTopology;
import io.jitbroker.streams.StreamsApp;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.runtime.event.ApplicationStartupEvent;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decisions' Kafka Streams app ({@link PolicyTopology}, configured by the
 * {@code kafka.streams.policy} block). It starts only once the bundle reader has read
 * jit.policies.v1 to its end: deciding on the deny-all stand-in would deny everything, and
 * re-evaluating grants against it would revoke everything.
 */
@Factory
public class PolicyStreams {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyStreams.class);

    @Singleton
    @Bean(preDestroy = "close")
    StreamsApp policyStreamsApp(@Property(name = "kafka.streams.policy")
                                @MapFormat(transformation = MapFormat.MapTransformation.FLAT) Map<String, Object> settings,
                                @Property(name = "kafka.bootstrap.servers") String bootstrapServers,
                                @Value("${jit.policy.streams.close-timeout:10s}") Duration closeTimeout,
                                RegistrySerdes registrySerdes, KafkaClientSecurity security, MeterRegistry meters,
                                CurrentPolicy currentPolicy, KafkaTracing tracing) {
        PolicyMetrics metrics = new PolicyMetrics(meters);
        PolicyTopology.EventSerdes serdes = new PolicyTopology.EventSerdes(
                registrySerdes.valueSerde(Topics.ACCESS_REQUESTS),
                registrySerdes.valueSerde(Topics.APPROVALS),
                registrySerdes.valueSerde(Topics.GRANTS),
                registrySerdes.valueSerde(Topics.REVOCATIONS),
                registrySerdes.valueSerde(Topics.CONTEXT_EVENTS),
                registrySerdes.valueSerde(Topics.ACCESS_DECISIONS),
                registrySerdes.valueSerde(Topics.ALERTS),
                registrySerdes.valueSerde(Topics.REVOCATION_REQUESTS),
                registrySerdes.valueSerde(Topics.DEAD_LETTERS));
        Topology topology = PolicyTopology.build(serdes, metrics, currentPolicy::engine, PolicyTopology.Settings.defaults(),
                tracing);
        LOG.debug("Policy topology:\n{}", topology.describe());
        StreamsApp app = new StreamsApp("policyStreams", topology, StreamsApp.config(settings, bootstrapServers,
                security.clientConfig(), registrySerdes.valueSerializer(), metrics), closeTimeout);
        // Consumer lag, commit latency, ... of the app's clients, as kafka_* meters.
        new KafkaStreamsMetrics(app.streams()).bindTo(meters);
        return app;
    }

    /**
     * Starts the app once the bundle reader has caught up, on a thread of its own so that the
     * service still starts (and /health says why it is not ready) while Kafka is unreachable.
     */
    @Singleton
    static final class Starter implements ApplicationEventListener<ApplicationStartupEvent> {

        private final StreamsApp app;
        private final PolicyBundleReader reader;
        private final Duration policyLoadTimeout;

        Starter(StreamsApp app, PolicyBundleReader reader, @Value("${jit.policy.load-timeout:30s}") Duration policyLoadTimeout) {
            this.app = app;
            this.reader = reader;
            this.policyLoadTimeout = policyLoadTimeout;
        }

        @Override
        public void onApplicationEvent(ApplicationStartupEvent event) {
            Thread starter = new Thread(this::startWhenPolicyIsKnown, "policy-streams-starter");
            starter.setDaemon(true);
            starter.start();
        }

        private void startWhenPolicyIsKnown() {
            while (!reader.awaitCaughtUp(policyLoadTimeout)) {
                if (app.isClosed() || Thread.currentThread().isInterrupted()) {
                    return;
                }
                LOG.warn("The policy bundle topic is not read to its end after {}; not deciding anything yet (fail closed)",
                        policyLoadTimeout);
            }
            app.start();
        }
    }
}
