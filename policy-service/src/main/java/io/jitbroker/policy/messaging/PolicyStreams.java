package io.jitbroker.policy.messaging;

import io.jitbroker.policy.bundle.CurrentPolicy;
import io.jitbroker.policy.bundle.PolicyBundleLoader;
import io.jitbroker.policy.topology.PolicyMetrics;
import io.jitbroker.policy.topology.PolicyTopology;
import io.jitbroker.schemas.KafkaClientSecurity;
import io.jitbroker.schemas.RegistrySerdes;
import io.jitbroker.schemas.Topics;
import io.jitbroker.schemas.streams.DeadLetterOnDeserializationError;
import io.jitbroker.schemas.streams.ReplaceThreadOnUncaughtError;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.runtime.event.ApplicationStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the decisions' KafkaStreams ({@link PolicyTopology}, configured by the
 * {@code kafka.streams.policy} block). It starts only once the bundle loader has read
 * jit.policies.v1 to its end: deciding on the deny-all stand-in would deny everything, and
 * re-evaluating grants against it would revoke everything. (Not micronaut-kafka-streams, for the
 * reason given in revocation-service's RevocationStreams: it adds a default stream we do not want.)
 */
@Singleton
public class PolicyStreams implements ApplicationEventListener<ApplicationStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyStreams.class);

    private final KafkaStreams streams;
    private final PolicyBundleLoader loader;
    private final Duration policyLoadTimeout;
    private final Duration closeTimeout;
    private volatile boolean closed;

    PolicyStreams(@Property(name = "kafka.streams.policy")
                  @MapFormat(transformation = MapFormat.MapTransformation.FLAT) Map<String, Object> streamsProperties,
                  @Property(name = "kafka.bootstrap.servers") String bootstrapServers,
                  @Value("${jit.policy.load-timeout:30s}") Duration policyLoadTimeout,
                  @Value("${jit.policy.streams.close-timeout:10s}") Duration closeTimeout,
                  RegistrySerdes registrySerdes, KafkaClientSecurity security, MeterRegistry meters,
                  CurrentPolicy currentPolicy, PolicyBundleLoader loader, StreamsHealth health) {
        this.loader = loader;
        this.policyLoadTimeout = policyLoadTimeout;
        this.closeTimeout = closeTimeout;
        Properties config = new Properties();
        streamsProperties.forEach((key, value) -> config.put(key, String.valueOf(value)));
        config.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.putAll(security.clientConfig());
        PolicyMetrics metrics = new PolicyMetrics(meters);
        config.putAll(DeadLetterOnDeserializationError.streamsConfig(registrySerdes.valueSerializer(), metrics));

        PolicyTopology.EventSerdes serdes = new PolicyTopology.EventSerdes(
                Topics.ACCESS_REQUESTS.valueSerde(registrySerdes),
                Topics.APPROVALS.valueSerde(registrySerdes),
                Topics.GRANTS.valueSerde(registrySerdes),
                Topics.REVOCATIONS.valueSerde(registrySerdes),
                Topics.CONTEXT_EVENTS.valueSerde(registrySerdes),
                Topics.ACCESS_DECISIONS.valueSerde(registrySerdes),
                Topics.ALERTS.valueSerde(registrySerdes),
                Topics.REVOCATION_REQUESTS.valueSerde(registrySerdes),
                Topics.DEAD_LETTERS.valueSerde(registrySerdes));
        Topology topology = PolicyTopology.build(serdes, metrics, currentPolicy::engine, PolicyTopology.Settings.defaults());
        LOG.debug("Policy topology:\n{}", topology.describe());
        streams = new KafkaStreams(topology, config);
        streams.setUncaughtExceptionHandler(new ReplaceThreadOnUncaughtError());
        streams.setStateListener((newState, oldState) -> {
            LOG.info("Policy Kafka Streams {} -> {}", oldState, newState);
            health.onStateChange(newState);
        });
        health.onStateChange(streams.state());
        // Consumer lag, commit latency, ... of the app's clients, as kafka_* meters.
        new KafkaStreamsMetrics(streams).bindTo(meters);
    }

    /**
     * Starts the app once the bundle loader has caught up, on a thread of its own so that the
     * service still starts (and /health says why it is not ready) while Kafka is unreachable.
     */
    @Override
    public void onApplicationEvent(ApplicationStartupEvent event) {
        Thread starter = new Thread(this::startWhenPolicyIsKnown, "policy-streams-starter");
        starter.setDaemon(true);
        starter.start();
    }

    private void startWhenPolicyIsKnown() {
        while (!loader.awaitCaughtUp(policyLoadTimeout)) {
            if (closed || Thread.currentThread().isInterrupted()) {
                return;
            }
            LOG.warn("The policy bundle topic is not read to its end after {}; not deciding anything yet (fail closed)",
                    policyLoadTimeout);
        }
        synchronized (this) {
            if (!closed) {
                LOG.info("Starting the policy decisions' Kafka Streams application");
                streams.start();
            }
        }
    }

    /** Leaves the group on close, so partitions move to another instance at once. */
    @PreDestroy
    synchronized void close() {
        closed = true;
        CloseOptions options = CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(closeTimeout);
        if (!streams.close(options)) {
            LOG.warn("The policy Kafka Streams application did not close within {}", closeTimeout);
        }
    }

    KafkaStreams.State state() {
        return streams.state();
    }
}
