package io.jitbroker.streams;

import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.contracts.DeadLetters;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiFunction;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a record that decoded but cannot be acted on into a {@link DeadLetter} naming its topic,
 * partition, offset and what is wrong with it. It runs right after the source, before any
 * re-keying, so the metadata is the original record's; the payload is the value re-encoded by the
 * topic's serde (the original bytes are gone once decoded). Written in the same exactly-once
 * transaction as the consumed offset.
 *
 * @param <V> the input's value type
 */
public final class InvalidRecordToDeadLetter<V> implements FixedKeyProcessor<String, V, DeadLetter> {

    private static final Logger LOG = LoggerFactory.getLogger(InvalidRecordToDeadLetter.class);

    private final BiFunction<String, V, Optional<String>> problemWith;
    private final Serializer<V> serializer;
    private final DeadLetterCounter metrics;
    private FixedKeyProcessorContext<String, DeadLetter> context;

    public InvalidRecordToDeadLetter(BiFunction<String, V, Optional<String>> problemWith, Serializer<V> serializer,
                              DeadLetterCounter metrics) {
        this.problemWith = problemWith;
        this.serializer = serializer;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, DeadLetter> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
        RecordMetadata source = context.recordMetadata()
                .orElseThrow(() -> new IllegalStateException("an invalid record without source metadata"));
        String reason = "invalid record: " + problemWith.apply(record.key(), record.value()).orElse("unspecified");
        byte[] payload = record.value() == null ? null : serializer.serialize(source.topic(), record.value());
        DeadLetter deadLetter = DeadLetters.build(context.applicationId(), source.topic(), source.partition(),
                source.offset(), payload, reason, Instant.ofEpochMilli(context.currentSystemTimeMs()));
        metrics.deadLetter(source.topic());
        LOG.warn("Invalid record {}-{}@{} (key {}) sent to the dead-letter topic: {}", source.topic(), source.partition(),
                source.offset(), record.key(), deadLetter.getReason());
        context.forward(record.withValue(deadLetter));
    }
}
