package io.jitbroker.contracts;

import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One Kafka topic: its name, its key type (always a String id) and its Avro value type.
 *
 * @param name       the topic name, e.g. {@code jit.grants.v1}
 * @param valueType  the generated Avro class of every value on the topic
 * @param keyMeaning what the key is, for documentation and logs (e.g. {@code grantId})
 * @param compacted  whether the topic is log-compacted (latest value per key is the truth)
 * @param <V>        the value type
 */
public record Topic<V extends SpecificRecord>(String name, Class<V> valueType, String keyMeaning, boolean compacted) {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(valueType, "valueType");
        Objects.requireNonNull(keyMeaning, "keyMeaning");
    }

    /** Keys are plain UTF-8 strings so any client can read them without a registry. */
    public Serde<String> keySerde() {
        return Serdes.String();
    }

    @Override
    public String toString() {
        return name;
    }
}
