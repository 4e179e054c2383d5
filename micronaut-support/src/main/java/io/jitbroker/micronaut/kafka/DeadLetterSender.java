package io.jitbroker.micronaut.kafka;

import io.jitbroker.contracts.DeadLetters;
import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.kafka.RegistryOutage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerException;
import io.micronaut.configuration.kafka.retry.ConditionalRetryBehaviourHandler.ConditionalRetryBehaviour;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what a micronaut-kafka listener cannot use to jit.dead-letters.v1 with its topic,
 * partition, offset and reason, so the consumer moves on without losing it. Nothing is lost on the
 * way: when the dead letter cannot be written either, the record is retried (the listener's error
 * strategy, or the consumer rewound to it), never skipped. Counted as {@code jit_dead_letters_total{topic}}.
 */
@Singleton
public class DeadLetterSender {

    static final String DEAD_LETTERS_METER = "jit.dead.letters";
    private static final Duration REWIND_PAUSE = Duration.ofMillis(500);

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSender.class);

    private final DeadLetterClient client;
    private final MeterRegistry meters;
    private final Clock clock = Clock.systemUTC();

    public DeadLetterSender(DeadLetterClient client, MeterRegistry meters) {
        this.client = client;
        this.meters = meters;
    }

    /**
     * Undecodable records are never retried (they will not decode better next time), unless what
     * failed was the schema registry not answering: that record is read again once it answers, never
     * skipped. Every other failure (database, broker) is transient until proven otherwise.
     */
    public static ConditionalRetryBehaviour retryBehaviour(KafkaListenerException failure) {
        return failure.getCause() instanceof RecordDeserializationException && !undecodedForRegistryOutage(failure)
                ? ConditionalRetryBehaviour.SKIP
                : ConditionalRetryBehaviour.RETRY;
    }

    /** A record that did not decode only because the schema registry did not answer: it must be read again. */
    public static boolean undecodedForRegistryOutage(KafkaListenerException failure) {
        return failure.getCause() instanceof RecordDeserializationException undecodable && RegistryOutage.causedBy(undecodable);
    }

    /**
     * A record that decoded but cannot be acted on; called from the listener method.
     *
     * @throws DeadLetterNotWrittenException when the dead letter could not be written: let it reach
     *                                       the listener's error strategy, which retries the record
     */
    public void rejected(String consumer, ConsumerRecord<?, ?> record, String reason) {
        LOG.warn("{}: rejected record {}-{}@{} (key {}): {}; sending it to {}", consumer, record.topic(),
                record.partition(), record.offset(), record.key(), reason, Topics.DEAD_LETTERS);
        DeadLetter letter = DeadLetters.rejected(consumer, record, null, reason, clock.instant());
        try {
            send(keyOf(record), letter);
        } catch (RuntimeException e) {
            throw new DeadLetterNotWrittenException("could not dead-letter " + record.topic() + "-"
                    + record.partition() + "@" + record.offset(), e);
        }
    }

    /**
     * Called by a listener's exception handler: a record that could not be decoded (the consumer has
     * already moved past it), or one the listener gave up on after its retries.
     */
    public void onListenerFailure(String consumer, KafkaListenerException failure) {
        Throwable cause = failure.getCause() == null ? failure : failure.getCause();
        Consumer<?, ?> kafkaConsumer = failure.getKafkaConsumer();
        if (cause instanceof RecordDeserializationException undecodable) {
            TopicPartition partition = undecodable.topicPartition();
            DeadLetter letter = DeadLetters.undecodable(consumer, undecodable, clock.instant());
            LOG.warn("{}: undecodable record {}-{}@{}: {}; sending it to {}", consumer, partition.topic(),
                    partition.partition(), undecodable.offset(), letter.getReason(), Topics.DEAD_LETTERS);
            sendOrRewind(utf8(undecodable.keyBuffer()), letter, kafkaConsumer, partition, undecodable.offset());
            return;
        }
        Optional<ConsumerRecord<?, ?>> failed = failure.getConsumerRecord();
        if (failed.isEmpty()) {
            LOG.error("{}: Kafka consumer failed outside any record", consumer, cause);
            return;
        }
        ConsumerRecord<?, ?> record = failed.get();
        String reason = "processing failed after all retries: " + DeadLetters.reasonOf(cause);
        LOG.error("{}: giving up on record {}-{}@{} (key {}): {}; sending it to {}", consumer, record.topic(),
                record.partition(), record.offset(), record.key(), reason, Topics.DEAD_LETTERS, cause);
        DeadLetter letter = DeadLetters.rejected(consumer, record, null, reason, clock.instant());
        sendOrRewind(keyOf(record), letter, kafkaConsumer, new TopicPartition(record.topic(), record.partition()),
                record.offset());
    }

    private void sendOrRewind(String key, DeadLetter letter, Consumer<?, ?> kafkaConsumer, TopicPartition partition,
                              long offset) {
        try {
            send(key, letter);
        } catch (RuntimeException e) {
            LOG.error("could not write the dead letter for {}-{}@{}; rewinding to read the record again in {} ms",
                    partition.topic(), partition.partition(), offset, REWIND_PAUSE.toMillis(), e);
            kafkaConsumer.seek(partition, offset);
            pauseBeforeRetrying();
        }
    }

    /** The record comes back at the next poll: without a pause, a broker that refuses would be asked in a tight loop. */
    private static void pauseBeforeRetrying() {
        try {
            Thread.sleep(REWIND_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(String key, DeadLetter letter) {
        client.send(key, letter);
        meters.counter(DEAD_LETTERS_METER, "topic", letter.getSourceTopic()).increment();
    }

    private static String keyOf(ConsumerRecord<?, ?> record) {
        return record.key() == null ? null : record.key().toString();
    }

    private static String utf8(ByteBuffer bytes) {
        return bytes == null ? null : StandardCharsets.UTF_8.decode(bytes.duplicate()).toString();
    }
}
