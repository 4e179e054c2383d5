package io.jitbroker.chaos.check;

import io.jitbroker.contracts.Topic;
import io.jitbroker.kafka.RegistrySerdes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes records to the real topics for the ITs as the services do: registry-encoded Avro values,
 * plainly or in a transaction; and raw bytes, for values no deserializer can read. Each write waits
 * for the broker's acknowledgement and returns where the record went.
 */
final class TopicWriter implements AutoCloseable {

    private final Producer<String, SpecificRecord> plain;
    private final Producer<String, SpecificRecord> transactional;
    private final Producer<String, byte[]> raw;

    TopicWriter(String bootstrapServers, String registryUrl) {
        Map<String, Object> avro = new HashMap<>(new RegistrySerdes(registryUrl).producerConfig());
        avro.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        avro.put(ProducerConfig.ACKS_CONFIG, "all");
        plain = new KafkaProducer<>(avro);
        Map<String, Object> inTransactions = new HashMap<>(avro);
        inTransactions.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "chaos-checker-it");
        transactional = new KafkaProducer<>(inTransactions);
        transactional.initTransactions();
        raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    static <V extends SpecificRecord> ProducerRecord<String, SpecificRecord> record(Topic<V> topic, String key, V value) {
        return new ProducerRecord<>(topic.name(), key, value);
    }

    <V extends SpecificRecord> RecordMetadata send(Topic<V> topic, String key, V value) {
        return acknowledged(plain.send(record(topic, key, value)));
    }

    RecordMetadata sendRaw(Topic<?> topic, String key, byte[] value) {
        return acknowledged(raw.send(new ProducerRecord<>(topic.name(), key, value)));
    }

    /** Writes {@code records} in one transaction, to the log, then commits or aborts it; returns where each went. */
    List<RecordMetadata> transaction(boolean commit, List<ProducerRecord<String, SpecificRecord>> records) {
        transactional.beginTransaction();
        List<Future<RecordMetadata>> sends = records.stream().map(transactional::send).toList();
        transactional.flush();
        List<RecordMetadata> written = sends.stream().map(TopicWriter::acknowledged).toList();
        if (commit) {
            transactional.commitTransaction();
        } else {
            transactional.abortTransaction();
        }
        return written;
    }

    private static RecordMetadata acknowledged(Future<RecordMetadata> send) {
        try {
            return send.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the broker refused a record", e.getCause());
        }
    }

    @Override
    public void close() {
        plain.close();
        transactional.close();
        raw.close();
    }
}
