package io.jitbroker.policy.support;

import io.jitbroker.contracts.Topics;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.events.v1.PolicyBundle;
import io.jitbroker.kafka.RegistrySerdes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes jit.policies.v1 directly, as an admin's publication would, or as nothing in production
 * should (garbage, tombstones, records keyed by another name), and waits for each write.
 */
public final class PolicyTopicWriter implements AutoCloseable {

    private static final String ADMIN = "spiffe://dev.local/sre/policy-admin";

    private final KafkaProducer<String, SpecificRecord> producer;
    private final KafkaProducer<String, byte[]> rawProducer;

    public PolicyTopicWriter(Infrastructure infra) {
        String bootstrapServers = infra.kafka().bootstrapServers();
        Map<String, Object> producerConfig = new HashMap<>(new RegistrySerdes(infra.registry().nativeApiUrl()).producerConfig());
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(producerConfig);
        rawProducer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** A version of bundle {@code name} published by a policy admin now. */
    public static PolicyBundle bundle(String name, String version, String document) {
        return PolicyBundle.newBuilder()
                .setName(name)
                .setVersion(version)
                .setDocument(document)
                .setPublishedBy(ADMIN)
                .setPublishedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }

    /** Publishes {@code bundle} keyed by its name. */
    public RecordMetadata send(PolicyBundle bundle) throws ExecutionException, InterruptedException {
        return send(bundle.getName(), bundle);
    }

    /** @param bundle the value, null for a tombstone */
    public RecordMetadata send(String key, PolicyBundle bundle) throws ExecutionException, InterruptedException {
        return producer.send(new ProducerRecord<>(Topics.POLICIES.name(), key, bundle)).get();
    }

    /** Bytes that are not a registry-encoded record. */
    public RecordMetadata sendRaw(String key, byte[] value) throws ExecutionException, InterruptedException {
        return rawProducer.send(new ProducerRecord<>(Topics.POLICIES.name(), key, value)).get();
    }

    @Override
    public void close() {
        Quietly.close(producer, rawProducer);
    }
}
