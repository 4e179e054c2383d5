package io.jitbroker.revocation.messaging;

import io.jitbroker.schemas.streams.DeadLetterOnDeserializationError;
import io.jitbroker.schemas.streams.ReplaceThreadOnUncaughtError;
import io.jitbroker.revocation.topology.RevocationMetrics;
import io.jitbroker.revocation.topology.RevocationTopology;
import io.jitbroker.schemas.KafkaClientSecurity;
import io.jitbroker.schemas.RegistrySerdes;
import io.jitbroker.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.runtime.event.ApplicationStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the revoker's KafkaStreams: built from {@link RevocationTopology} and the
 * {@code kafka.streams.revocation} configuration block, started once the application has started,
 * closed on shutdown.
 *
 * <p>Why not micronaut-kafka-streams: besides each named {@code kafka.streams.<name>} stream it
 * always creates a "default" KafkaStreams, whose topology is empty unless something is added to
 * it, and an empty topology fails at construction ("Topology has no stream threads"). Owning the
 * lifecycle keeps the static topology, installs the error handlers and the state listener before
 * start, and leaves no stream we did not ask for.
 */
@Singleton
public class RevocationStreams implements ApplicationEventListener<ApplicationStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationStreams.class);

    private final KafkaStreams streams;
    private final RevocationConfiguration configuration;
    private final String bootstrapServers;
    private final KafkaClientSecurity security;

    RevocationStreams(@Property(name = "kafka.streams.revocation")
                      @MapFormat(transformation = MapFormat.MapTransformation.FLAT) Map<String, Object> streamsProperties,
                      @Property(name = "kafka.bootstrap.servers") String bootstrapServers,
                      RegistrySerdes registrySerdes,
                      KafkaClientSecurity security,
                      RevocationMetrics metrics,
                      RevocationConfiguration configuration,
                      StreamsHealth readiness,
                      MeterRegistry meters) {
        this.configuration = configuration;
        Properties config = new Properties();
        streamsProperties.forEach((key, value) -> config.put(key, String.valueOf(value)));
        config.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.bootstrapServers = config.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
        this.security = security;
        config.putAll(security.clientConfig());
        config.putAll(DeadLetterOnDeserializationError.streamsConfig(registrySerdes.valueSerializer(), metrics));

        RevocationTopology.EventSerdes serdes = new RevocationTopology.EventSerdes(
                Topics.GRANTS.valueSerde(registrySerdes),
                Topics.TASK_EVENTS.valueSerde(registrySerdes),
                Topics.CONTEXT_EVENTS.valueSerde(registrySerdes),
                Topics.REVOCATION_REQUESTS.valueSerde(registrySerdes),
                Topics.REVOCATIONS.valueSerde(registrySerdes),
                Topics.DEAD_LETTERS.valueSerde(registrySerdes));
        Topology topology = RevocationTopology.build(serdes, metrics, configuration.toSettings());
        LOG.debug("Revoker topology:\n{}", topology.describe());

        streams = new KafkaStreams(topology, config);
        streams.setUncaughtExceptionHandler(new ReplaceThreadOnUncaughtError());
        streams.setStateListener((newState, oldState) -> {
            LOG.info("Revoker Kafka Streams {} -> {}", oldState, newState);
            readiness.onStateChange(newState);
        });
        readiness.onStateChange(streams.state());
        // Consumer lag, commit latency, ... of the app's clients, as kafka_* meters.
        new KafkaStreamsMetrics(streams).bindTo(meters);
    }

    @Override
    public void onApplicationEvent(ApplicationStartupEvent event) {
        // Fail fast: on input topics with unequal partition counts, events would miss their grants.
        InputPartitionsCheck.run(bootstrapServers, security);
        LOG.info("Starting the revoker's Kafka Streams application");
        streams.start();
    }

    /**
     * Closes the app and leaves the consumer group, so its partitions move at once to the other
     * instances (or to this one restarted) instead of after the session timeout: Kafka Streams
     * stays in the group on close unless told otherwise.
     */
    @PreDestroy
    void close() {
        CloseOptions options = CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(configuration.closeTimeout());
        if (!streams.close(options)) {
            LOG.warn("The revoker's Kafka Streams application did not close within {}", configuration.closeTimeout());
        }
    }
}
