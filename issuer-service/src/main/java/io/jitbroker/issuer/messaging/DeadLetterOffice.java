package io.jitbroker.issuer.messaging;

import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.schemas.DeadLetters;
import io.jitbroker.schemas.Topics;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerException;
import io.micronaut.configuration.kafka.retry.ConditionalRetryBehaviourHandler.ConditionalRetryBehaviour;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the records this service cannot use to jit.dead-letters.v1, so its consumers can move on
 * without losing them. If the dead letter itself cannot be written, the consumer is rewound to the
 * record: it is retried rather than silently dropped.
 */
@Singleton
public class DeadLetterOffice {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterOffice.class);

    private final DeadLetterClient client;
    private final Clock clock;

    public DeadLetterOffice(DeadLetterClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /**
     * Undecodable records are never retried (they will not decode better next time); every other
     * failure (database, broker) is transient until proven otherwise.
     */
    public static ConditionalRetryBehaviour retryBehaviour(KafkaListenerException failure) {
        return failure.getCause() instanceof RecordDeserializationException
                ? ConditionalRetryBehaviour.SKIP
                : ConditionalRetryBehaviour.RETRY;
    }

    /** A record that decoded but cannot be acted on. */
    public void rejected(ConsumerRecord<String, ?> record, String reason) {
        LOG.warn("rejected record {}-{}@{} (key {}): {}; sending it to {}", record.topic(), record.partition(),
                record.offset(), record.key(), reason, Topics.DEAD_LETTERS);
        client.send(record.key(), DeadLetters.rejected(IssuerKafka.GROUP_ID, record, null, reason, clock.instant()));
    }

    /** Called by a listener's exception handler: an undecodable record, or one whose retries ran out. */
    public void onListenerFailure(KafkaListenerException failure) {
        Throwable cause = failure.getCause();
        Consumer<?, ?> consumer = failure.getKafkaConsumer();
        if (cause instanceof RecordDeserializationException undecodable) {
            TopicPartition partition = undecodable.topicPartition();
            DeadLetter letter = DeadLetters.undecodable(IssuerKafka.GROUP_ID, undecodable, clock.instant());
            LOG.warn("undecodable record {}-{}@{}: {}; sending it to {}", partition.topic(), partition.partition(),
                    undecodable.offset(), letter.getReason(), Topics.DEAD_LETTERS);
            sendOrRewind(utf8(undecodable.keyBuffer()), letter, consumer, partition, undecodable.offset());
            return;
        }
        Optional<ConsumerRecord<?, ?>> failed = failure.getConsumerRecord();
        if (failed.isEmpty()) {
            LOG.error("Kafka consumer of {} failed outside any record", IssuerKafka.GROUP_ID, cause);
            return;
        }
        ConsumerRecord<?, ?> record = failed.get();
        String reason = "processing failed after all retries: " + DeadLetters.reasonOf(cause);
        LOG.error("giving up on record {}-{}@{} (key {}): {}; sending it to {}", record.topic(), record.partition(),
                record.offset(), record.key(), reason, Topics.DEAD_LETTERS, cause);
        DeadLetter letter = DeadLetters.rejected(IssuerKafka.GROUP_ID, record, null, reason, clock.instant());
        sendOrRewind(record.key() == null ? null : record.key().toString(), letter, consumer,
                new TopicPartition(record.topic(), record.partition()), record.offset());
    }

    private void sendOrRewind(String key, DeadLetter letter, Consumer<?, ?> consumer, TopicPartition partition,
                              long offset) {
        try {
            client.send(key, letter);
        } catch (RuntimeException e) {
            LOG.error("could not write the dead letter for {}-{}@{}; rewinding to retry the record", partition.topic(),
                    partition.partition(), offset, e);
            consumer.seek(partition, offset);
        }
    }

    private static String utf8(ByteBuffer bytes) {
        return bytes == null ? null : StandardCharsets.UTF_8.decode(bytes.duplicate()).toString();
    }
}
