package io.jitbroker.streams;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Whether a Kafka Streams app is ready to serve: not until it has reached RUNNING (state restored,
 * partitions assigned); after that it stays ready through rebalances (scale-out) and stops being
 * ready when the app stops or fails. Fed by the app's state listener; read by a health indicator.
 */
public final class StreamsReadiness {

    private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>();
    private final AtomicBoolean reachedRunning = new AtomicBoolean();

    public void onStateChange(KafkaStreams.State newState) {
        state.set(newState);
        if (newState == KafkaStreams.State.RUNNING) {
            reachedRunning.set(true);
        }
    }

    public boolean ready() {
        KafkaStreams.State current = state.get();
        return current == KafkaStreams.State.RUNNING
                || (current == KafkaStreams.State.REBALANCING && reachedRunning.get());
    }

    public boolean reachedRunning() {
        return reachedRunning.get();
    }

    /** The app's state, or NOT_CREATED before it has one. */
    public String stateName() {
        KafkaStreams.State current = state.get();
        return current == null ? "NOT_CREATED" : current.name();
    }
}
