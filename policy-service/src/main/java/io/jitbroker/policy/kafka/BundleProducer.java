package io.jitbroker.policy.kafka;

import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.PolicyBundle;
import io.jitbroker.kafka.KafkaClientSecurity;
import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.policy.app.WriteFailedException;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes policy bundles and the bundle reader's dead letters, synchronously (acks=all, idempotent): the
 * caller learns whether the record is durable before it answers anyone.
 */
@Singleton
public class BundleProducer implements AutoCloseable {

    /** Bounds every write: a caller waits for the broker seconds, not minutes. */
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(10);

    private final Producer<String, SpecificRecord> producer;

    public BundleProducer(@Value("${kafka.bootstrap.servers}") String bootstrapServers,
                          RegistrySerdes registrySerdes,
                          KafkaClientSecurity security) {
        Map<String, Object> config = registrySerdes.producerConfig();
        config.putAll(security.clientConfig());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "policy-service-bundles");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis());
        this.producer = new KafkaProducer<>(config);
    }

    /** Publishes {@code bundle} keyed by its name. @return where it was written */
    public RecordMetadata publish(PolicyBundle bundle) {
        return write(new ProducerRecord<>(Topics.POLICIES.name(), bundle.getName(), bundle));
    }

    /** Writes a dead letter keyed by the rejected record's key. */
    public RecordMetadata deadLetter(String key, DeadLetter letter) {
        return write(new ProducerRecord<>(Topics.DEAD_LETTERS.name(), key, letter));
    }

    private RecordMetadata write(ProducerRecord<String, SpecificRecord> record) {
        try {
            // A little beyond delivery.timeout.ms, which fails the send itself first.
            return producer.send(record).get(DELIVERY_TIMEOUT.toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WriteFailedException("interrupted while writing to " + record.topic(), e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new WriteFailedException("could not write to " + record.topic() + ": " + cause, cause);
        }
    }

    @Override
    @PreDestroy
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
