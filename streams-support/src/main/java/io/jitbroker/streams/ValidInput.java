package io.jitbroker.streams;

import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.contracts.Topics;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Splits a Streams input into the records the application can act on, returned, and the others,
 * sent to jit.dead-letters.v1 with the reason (in the same exactly-once transaction). Node names
 * derive from the input's name, so they stay fixed: {@code <input>-validation} with branches
 * {@code -valid} and {@code -invalid}, then {@code <input>-dead-letters} and its sink.
 */
public final class ValidInput {

    private ValidInput() {
    }

    /**
     * @param problemWith what makes a record unusable; empty when it is fine
     * @param valueSerde  the input's value serde (re-encodes the payload kept in the dead letter)
     */
    public static <V> KStream<String, V> of(KStream<String, V> input, String inputName,
                                            BiFunction<String, V, Optional<String>> problemWith,
                                            Serde<V> valueSerde, Serde<DeadLetter> deadLetterSerde,
                                            DeadLetterCounter counter) {
        String splitName = inputName + "-validation";
        Map<String, KStream<String, V>> branches = input
                .split(Named.as(splitName))
                .branch((key, value) -> problemWith.apply(key, value).isEmpty(), Branched.as("-valid"))
                .defaultBranch(Branched.as("-invalid"));
        branches.get(splitName + "-invalid")
                .processValues(() -> new InvalidRecordToDeadLetter<>(problemWith, valueSerde.serializer(), counter),
                        Named.as(inputName + "-dead-letters"))
                .to(Topics.DEAD_LETTERS.name(), Produced.with(Serdes.String(), deadLetterSerde)
                        .withName(inputName + "-dead-letters-sink"));
        return branches.get(splitName + "-valid");
    }
}
