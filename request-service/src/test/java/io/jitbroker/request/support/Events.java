package io.jitbroker.request.support;

import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.contracts.Topic;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Plays the other services: writes their events through the registry, as they do, and waits for the broker. */
public final class Events implements AutoCloseable {

    private final Producer<String, Object> producer;

    private Events(Producer<String, Object> producer) {
        this.producer = producer;
    }

    public static Events connect(Infrastructure infra) {
        Map<String, Object> config = new RegistrySerdes(infra.registry().nativeApiUrl()).producerConfig();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new Events(new KafkaProducer<>(config));
    }

    /** @return where the broker stored it */
    public <V extends SpecificRecord> RecordMetadata send(Topic<V> topic, String key, V value) {
        try {
            return producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("could not send " + key + " to " + topic.name(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
