package io.jitbroker.request.support;

import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.contracts.Topic;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes raw bytes to a topic, bypassing the registry: how a test makes a record no consumer can decode. */
public final class RawRecords implements AutoCloseable {

    private final Producer<String, byte[]> producer;

    private RawRecords(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    public static RawRecords connect(Infrastructure infra) {
        return new RawRecords(new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName())));
    }

    public void send(Topic<?> topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("could not send raw bytes to " + topic.name(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
