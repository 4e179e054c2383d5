package io.jitbroker.request.messaging;

import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.request.RequestMetrics;
import io.jitbroker.schemas.DeadLetters;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what a listener cannot handle to the dead-letter topic, and makes sure nothing is lost on
 * the way: when the dead letter cannot be published either, the consumer is sent back to the record,
 * which is read again on the next poll.
 */
@Singleton
public class DeadLetterSink {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSink.class);

    private final EventPublisher publisher;
    private final RequestMetrics metrics;
    private final Clock clock;

    public DeadLetterSink(EventPublisher publisher, RequestMetrics metrics, Clock clock) {
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * A record that decoded but cannot be accepted; called from a listener method.
     *
     * @throws LedgerUnavailableException when the dead letter could not be published: the listener's
     *                                    error strategy retries the record
     */
    public void rejected(String consumer, ConsumerRecord<String, Object> record, String reason) {
        if (!send(record.key(), DeadLetters.rejected(consumer, record, null, reason, clock.instant()))) {
            throw new LedgerUnavailableException("could not dead-letter " + record.topic() + "-"
                    + record.partition() + "@" + record.offset(), null);
        }
    }

    /** A record the deserializer could not read; the consumer has already moved past it. */
    public void undecodable(String consumer, RecordDeserializationException error, Consumer<?, ?> kafkaConsumer) {
        LOG.warn("{}: could not decode {}@{}: {}", consumer, error.topicPartition(), error.offset(),
                DeadLetters.reasonOf(error));
        if (!send(utf8(error.keyBuffer()), DeadLetters.undecodable(consumer, error, clock.instant()))) {
            kafkaConsumer.seek(error.topicPartition(), error.offset());
        }
    }

    /** A record the listener gave up on after its retries. */
    public void gaveUp(String consumer, ConsumerRecord<?, ?> record, Throwable cause, Consumer<?, ?> kafkaConsumer) {
        LOG.error("{}: giving up on {}-{}@{} (key {})", consumer, record.topic(), record.partition(), record.offset(),
                record.key(), cause);
        DeadLetter letter = DeadLetters.rejected(consumer, record, null, DeadLetters.reasonOf(cause), clock.instant());
        if (!send(record.key() == null ? null : record.key().toString(), letter)) {
            kafkaConsumer.seek(new TopicPartition(record.topic(), record.partition()), record.offset());
        }
    }

    private boolean send(String key, DeadLetter letter) {
        try {
            publisher.publishDeadLetter(key, letter);
            metrics.deadLettered(letter.getSourceTopic());
            return true;
        } catch (PublishFailedException e) {
            LOG.error("could not dead-letter {}-{}@{}; it will be read again", letter.getSourceTopic(),
                    letter.getSourcePartition(), letter.getSourceOffset(), e);
            return false;
        }
    }

    private static String utf8(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
