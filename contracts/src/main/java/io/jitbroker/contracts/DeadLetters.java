package io.jitbroker.contracts;

import io.jitbroker.events.v1.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;

/** Builds the dead letter for a record a consumer could not decode or accept. */
public final class DeadLetters {

    private static final int MAX_REASON_LENGTH = 2_000;

    private DeadLetters() {
    }

    /** A record that decoded but failed validation. */
    public static DeadLetter rejected(String consumer, ConsumerRecord<?, ?> record, byte[] payload, String reason, Instant at) {
        return build(consumer, record.topic(), record.partition(), record.offset(), payload, reason, at);
    }

    /** A record the deserializer could not turn into an event. */
    public static DeadLetter undecodable(String consumer, RecordDeserializationException error, Instant at) {
        ByteBuffer value = error.valueBuffer();
        byte[] payload = null;
        if (value != null) {
            payload = new byte[value.remaining()];
            value.duplicate().get(payload);
        }
        return build(consumer, error.topicPartition().topic(), error.topicPartition().partition(),
                error.offset(), payload, reasonOf(error), at);
    }

    public static DeadLetter build(String consumer, String topic, int partition, long offset,
                                   byte[] payload, String reason, Instant at) {
        return DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setConsumer(consumer)
                .setReason(truncate(reason))
                .setPayload(payload == null ? null : ByteBuffer.wrap(payload))
                .setFailedAt(at)
                .build();
    }

    /** The error and its causes, one line, short enough to read on a dashboard. */
    public static String reasonOf(Throwable error) {
        StringBuilder reason = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!reason.isEmpty()) {
                reason.append(" <- ");
            }
            reason.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                reason.append(": ").append(t.getMessage());
            }
        }
        return truncate(reason.toString());
    }

    private static String truncate(String reason) {
        String safe = reason == null || reason.isBlank() ? "unspecified" : reason;
        return safe.length() <= MAX_REASON_LENGTH ? safe : safe.substring(0, MAX_REASON_LENGTH) + "...";
    }
}
