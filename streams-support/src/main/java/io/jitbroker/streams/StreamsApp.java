package io.jitbroker.streams;

import io.jitbroker.events.v1.DeadLetter;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import io.jitbroker.kafka.TraceContextProducerInterceptor;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka Streams application of a service, with the handling every one of ours needs, on
 * purpose rather than by default: undecodable records go to the dead-letter topic, an uncaught
 * error replaces the thread, readiness follows the state, and closing leaves the consumer group
 * so that the partitions move to another instance at once instead of after the session timeout.
 *
 * <p>Why not micronaut-kafka-streams: besides each named {@code kafka.streams.<name>} stream it
 * always creates a "default" KafkaStreams, whose topology is empty unless something is added to
 * it, and an empty topology fails at construction. Owning the lifecycle keeps the static topology,
 * installs the handlers and the state listener before start, and leaves no stream we did not ask for.
 */
public final class StreamsApp {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);

    private final String name;
    private final KafkaStreams streams;
    private final Duration closeTimeout;
    private final StreamsReadiness readiness = new StreamsReadiness();
    private boolean closed;

    /**
     * @param name         how logs and health name the app, e.g. {@code revocationStreams}
     * @param config       from {@link #config}
     * @param closeTimeout how long {@link #close} waits for the app to finish its work
     */
    public StreamsApp(String name, Topology topology, Properties config, Duration closeTimeout) {
        this.name = Objects.requireNonNull(name, "name");
        this.closeTimeout = closeTimeout;
        this.streams = new KafkaStreams(topology, config);
        streams.setUncaughtExceptionHandler(new ReplaceThreadOnUncaughtError());
        streams.setStateListener((newState, oldState) -> {
            LOG.info("{}: Kafka Streams {} -> {}", name, oldState, newState);
            readiness.onStateChange(newState);
        });
        readiness.onStateChange(streams.state());
    }

    /**
     * The Streams configuration of an app: the service's {@code kafka.streams.<name>} settings, the
     * bootstrap servers unless those name others, the client security, and the dead-letter handler.
     */
    public static Properties config(Map<String, Object> settings, String bootstrapServers,
                                    Map<String, Object> clientSecurity, Serializer<DeadLetter> deadLetterSerializer,
                                    DeadLetterCounter deadLetterCounter) {
        Properties config = new Properties();
        settings.forEach((key, value) -> config.put(key, String.valueOf(value)));
        config.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.putAll(clientSecurity);
        config.putAll(DeadLetterOnDeserializationError.streamsConfig(deadLetterSerializer, deadLetterCounter));
        // Records a processor forwards carry the trace context of its span (TracedProcessor).
        TraceContextProducerInterceptor.CONFIG.forEach((key, value) -> config.put(StreamsConfig.producerPrefix(key), value));
        return config;
    }

    public String name() {
        return name;
    }

    /** For binding the clients' metrics (consumer lag, commit latency) to a meter registry. */
    public KafkaStreams streams() {
        return streams;
    }

    public StreamsReadiness readiness() {
        return readiness;
    }

    /** Starts the app, unless it was closed first (a service shutting down before it was ready). */
    public synchronized void start() {
        if (closed) {
            return;
        }
        LOG.info("{}: starting the Kafka Streams application", name);
        streams.start();
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Closes the app and leaves the consumer group; Kafka Streams stays in it on close unless told otherwise. */
    public synchronized void close() {
        closed = true;
        CloseOptions options = CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(closeTimeout);
        if (!streams.close(options)) {
            LOG.warn("{}: the Kafka Streams application did not close within {}", name, closeTimeout);
        }
    }
}
