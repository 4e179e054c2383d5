package io.jitbroker.policy.messaging;

import io.jitbroker.schemas.RegistrySerdes;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the outcome of one consumed record and commits that record's offset in the same Kafka
 * transaction: either read_committed consumers see the outcome and the request is marked done, or
 * neither happens and the request is read again. So a decision is never lost and, for
 * read_committed readers, never doubled.
 *
 * <p>Why not micronaut-kafka's {@code OffsetStrategy.SEND_TO_TRANSACTION}: in 5.9.0 it commits the
 * offsets of the whole poll batch in the transaction of the first record's result, and a failed
 * send is only logged while the consumer moves on, so a decision could be lost.
 *
 * <p>Any failure discards the producer: a fresh one with the same {@code transactional.id} aborts
 * whatever the old one left open when it initialises, which is simpler and safer than sorting
 * abortable from fatal errors.
 */
@Singleton
public class TransactionalPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalPublisher.class);

    private final Map<String, Object> config;
    private Producer<String, SpecificRecord> producer;

    public TransactionalPublisher(@Value("${kafka.bootstrap.servers}") String bootstrapServers,
                                  @Value("${jit.schema-registry.url}") String registryUrl,
                                  @Value("${jit.policy.kafka.transactional-id}") String transactionalId) {
        Map<String, Object> settings = new RegistrySerdes(registryUrl).producerConfig();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        this.config = Map.copyOf(settings);
    }

    /**
     * Sends {@code record} and marks {@code sourceOffset} of {@code source} consumed for the group, atomically.
     *
     * @throws PublishFailedException when the transaction did not commit; the caller must read the source record again
     */
    public synchronized void publish(ProducerRecord<String, SpecificRecord> record, TopicPartition source,
                                     long sourceOffset, ConsumerGroupMetadata group) {
        Producer<String, SpecificRecord> current = null;
        try {
            current = producer();
            current.beginTransaction();
            current.send(record);
            current.sendOffsetsToTransaction(Map.of(source, new OffsetAndMetadata(sourceOffset + 1)), group);
            current.commitTransaction();
        } catch (RuntimeException e) {
            discard(current);
            LOG.warn("Transaction for {} (key {}) from {}@{} failed, it will be retried: {}",
                    record.topic(), record.key(), source, sourceOffset, e.toString());
            throw new PublishFailedException("could not publish to " + record.topic() + " for " + source + "@" + sourceOffset, e);
        }
    }

    private Producer<String, SpecificRecord> producer() {
        if (producer == null) {
            KafkaProducer<String, SpecificRecord> created = new KafkaProducer<>(config);
            try {
                created.initTransactions();
            } catch (RuntimeException e) {
                created.close(Duration.ZERO);
                throw e;
            }
            producer = created;
        }
        return producer;
    }

    private void discard(Producer<String, SpecificRecord> failed) {
        if (failed != null) {
            producer = null;
            try {
                failed.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debug("Closing a failed producer failed too", e);
            }
        }
    }

    @Override
    @PreDestroy
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
