package io.jitbroker.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The floor: the least an exactly-once Kafka Streams app can do (copy records from one topic to
 * another, exactly_once_v2, same commit interval as the service). What it costs end to end is what
 * Kafka's transactions cost on this broker; anything the revoker adds is above it.
 */
final class FloorApp implements AutoCloseable {

    static final String APPLICATION_ID = "bench-floor";
    // Benchmark-only topics: not part of the system, so not in the Topics catalogue.
    static final String INPUT_TOPIC = "bench.floor-input";
    static final String OUTPUT_TOPIC = "bench.floor-output";
    static final String SOURCE = "floor-source";
    static final String SINK = "floor-sink";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;

    private FloorApp(KafkaStreams streams) {
        this.streams = streams;
    }

    static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(INPUT_TOPIC, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(SOURCE))
                .to(OUTPUT_TOPIC, Produced.with(Serdes.String(), Serdes.ByteArray()).withName(SINK));
        return builder.build();
    }

    /** Starts the app and returns once it is RUNNING. */
    static FloorApp start(String bootstrapServers, int commitIntervalMs, Path stateDir) throws InterruptedException {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        KafkaStreams streams = new KafkaStreams(topology(), config);
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((newState, oldState) -> {
            if (newState == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        if (!running.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            streams.close(CLOSE_TIMEOUT);
            throw new IllegalStateException("the floor app was not RUNNING within " + START_TIMEOUT
                    + " (state " + streams.state() + ")");
        }
        return new FloorApp(streams);
    }

    boolean alive() {
        return streams.state().isRunningOrRebalancing();
    }

    @Override
    public void close() {
        streams.close(CLOSE_TIMEOUT);
    }
}
