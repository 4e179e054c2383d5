package io.jitbroker.streams;

import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.contracts.DeadLetters;
import io.jitbroker.contracts.Topics;
import io.jitbroker.kafka.RegistryOutage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that cannot be decoded becomes a {@link DeadLetter} on jit.dead-letters.v1 (registry
 * Avro, like every value) and processing continues. Kafka Streams produces the dead letter itself,
 * in the same transaction as the consumed offset, so under exactly-once it is written exactly
 * once. If the dead letter cannot even be encoded, or the record did not decode only because the
 * schema registry did not answer, the handler fails instead: the record is not skipped, the thread
 * is replaced and the record retried.
 *
 * <p>Kafka Streams instantiates the handler by class name, so its collaborators come in through
 * the Streams configuration; {@link #streamsConfig} builds those entries.
 */
public final class DeadLetterOnDeserializationError implements DeserializationExceptionHandler {

    /** A {@code Serializer<DeadLetter>} instance (the registry's in production). */
    public static final String SERIALIZER_CONFIG = "jit.dead-letters.serializer";
    /** The {@link DeadLetterCounter} that counts dead letters. */
    public static final String METRICS_CONFIG = "jit.dead-letters.metrics";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterOnDeserializationError.class);

    private Serializer<DeadLetter> serializer;
    private DeadLetterCounter metrics;
    private String consumer;

    /** The Streams configuration entries that install this handler with its collaborators. */
    public static Map<String, Object> streamsConfig(Serializer<DeadLetter> serializer, DeadLetterCounter metrics) {
        return Map.of(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterOnDeserializationError.class,
                SERIALIZER_CONFIG, serializer,
                METRICS_CONFIG, metrics);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
        serializer = required(configs, SERIALIZER_CONFIG, Serializer.class);
        metrics = required(configs, METRICS_CONFIG, DeadLetterCounter.class);
        consumer = required(configs, StreamsConfig.APPLICATION_ID_CONFIG, String.class);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (RegistryOutage.causedBy(exception)) {
            // Skipping would lose the record for as long as the registry is down: the thread is replaced and reads it again.
            LOG.error("Record {}-{}@{} could not be decoded because the schema registry did not answer; failing rather than"
                    + " skipping it", record.topic(), record.partition(), record.offset(), exception);
            return Response.fail();
        }
        String reason = DeadLetters.reasonOf(exception);
        DeadLetter deadLetter = DeadLetters.build(consumer, record.topic(), record.partition(), record.offset(),
                record.value(), reason, Instant.now());
        byte[] value;
        try {
            value = serializer.serialize(Topics.DEAD_LETTERS.name(), deadLetter);
        } catch (RuntimeException e) {
            LOG.error("Could not encode the dead letter for undecodable record {}-{}@{}; failing rather than skipping it",
                    record.topic(), record.partition(), record.offset(), e);
            return Response.fail();
        }
        metrics.deadLetter(record.topic());
        LOG.warn("Undecodable record {}-{}@{} sent to {}: {}", record.topic(), record.partition(), record.offset(),
                Topics.DEAD_LETTERS.name(), reason);
        return Response.resume(List.of(new ProducerRecord<>(Topics.DEAD_LETTERS.name(), null, record.key(), value)));
    }

    private static <T> T required(Map<String, ?> configs, String key, Class<T> type) {
        Object value = configs.get(key);
        if (!type.isInstance(value)) {
            throw new ConfigException(key, value, "must be a " + type.getSimpleName()
                    + "; install the handler with DeadLetterOnDeserializationError.streamsConfig(...)");
        }
        return type.cast(value);
    }
}
