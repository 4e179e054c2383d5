package io.jitbroker.kafka;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.jitbroker.contracts.Topic;
import io.jitbroker.contracts.Topics;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The value serializer of a Kafka Streams app: records for our public topics only look their schema
 * up (the deploy step owns those subjects, {@link SchemaDeployment}); records for the app's own
 * internal topics (state store changelogs, repartition topics: {@code <application.id>-...}) register
 * their subject the first time, as nothing else knows those names and no other app reads them.
 */
final class StreamsValueSerializer<V> implements Serializer<V> {

    private static final Set<String> PUBLIC_TOPICS = Topics.ALL.stream().map(Topic::name).collect(Collectors.toUnmodifiableSet());

    private final AvroKafkaSerializer<V> lookingUp;
    private final AvroKafkaSerializer<V> registering;

    StreamsValueSerializer(AvroKafkaSerializer<V> lookingUp, AvroKafkaSerializer<V> registering) {
        this.lookingUp = lookingUp;
        this.registering = registering;
    }

    @Override
    public byte[] serialize(String topic, V data) {
        return (PUBLIC_TOPICS.contains(topic) ? lookingUp : registering).serialize(topic, data);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, V data) {
        return (PUBLIC_TOPICS.contains(topic) ? lookingUp : registering).serialize(topic, headers, data);
    }

    @Override
    public void close() {
        lookingUp.close();
        registering.close();
    }
}
