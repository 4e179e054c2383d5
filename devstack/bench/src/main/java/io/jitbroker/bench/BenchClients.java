package io.jitbroker.bench;

import io.jitbroker.kafka.RegistrySerdes;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The benchmark's Kafka clients: the services' serde configuration, acks=all and idempotence. */
final class BenchClients {

    private final String bootstrapServers;
    private final RegistrySerdes serdes;

    BenchClients(String bootstrapServers, RegistrySerdes serdes) {
        this.bootstrapServers = bootstrapServers;
        this.serdes = serdes;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** Registry-backed Avro values, as every service writes them. */
    Producer<String, SpecificRecord> avroProducer(String clientId, Map<String, Object> tuning) {
        Map<String, Object> config = new HashMap<>(serdes.producerConfig());
        config.putAll(reliable(clientId));
        config.putAll(tuning);
        return new KafkaProducer<>(config);
    }

    /** The size of {@code value} as a service's producer writes it to {@code topic} (registry wire format included). */
    int serializedSize(String topic, SpecificRecord value) {
        try (Serializer<SpecificRecord> serializer = serdes.valueSerializer()) {
            return serializer.serialize(topic, value).length;
        }
    }

    /** Raw bytes, for the floor: no registry, nothing but Kafka. */
    Producer<String, byte[]> bytesProducer(String clientId) {
        Map<String, Object> config = reliable(clientId);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(config);
    }

    Map<String, Object> avroConsumerConfig() {
        Map<String, Object> config = new HashMap<>(serdes.consumerConfig());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    Map<String, Object> bytesConsumerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return config;
    }

    private Map<String, Object> reliable(String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return config;
    }
}
