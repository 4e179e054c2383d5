package io.jitbroker.request.kafka;

import io.jitbroker.contracts.DeadLetters;
import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.request.domain.DeadLetterRecord;
import io.jitbroker.request.metrics.RequestMetrics;
import io.jitbroker.request.persistence.OperationalRecords;
import io.micronaut.configuration.kafka.annotation.ErrorStrategy;
import io.micronaut.configuration.kafka.annotation.ErrorStrategyValue;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerException;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerExceptionHandler;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projects every service's dead letters into the ledger database, for SREs (GET /v1/dead-letters).
 * The rejected bytes are not stored, only their size: they may hold anything.
 *
 * <p>Errors, on purpose: this listener never dead-letters. A record on the dead-letter topic that
 * cannot be read is logged and skipped (dead-lettering it would feed the topic its own errors); a
 * database that does not answer is retried with growing delays and then, since giving up would
 * lose the dead letter, the record is read again.
 */
@KafkaListener(
        groupId = LedgerProjectionListener.GROUP_ID,
        clientId = "request-service-dead-letters",
        offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.SYNC,
        errorStrategy = @ErrorStrategy(
                value = ErrorStrategyValue.RETRY_EXPONENTIALLY_ON_ERROR,
                retryCountValue = "${jit.ledger.retry-count:5}",
                retryDelay = "${jit.ledger.retry-delay:200ms}",
                exceptionTypes = LedgerUnavailableException.class))
public class DeadLetterProjectionListener implements KafkaListenerExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProjectionListener.class);

    private final OperationalRecords records;
    private final RequestMetrics metrics;

    public DeadLetterProjectionListener(OperationalRecords records, RequestMetrics metrics) {
        this.records = records;
        this.metrics = metrics;
    }

    @Topic(Topics.Names.DEAD_LETTERS)
    public void receive(ConsumerRecord<String, Object> record) {
        if (!(record.value() instanceof DeadLetter letter)) {
            skip(record.topic(), record.partition(), record.offset(), "it holds "
                    + (record.value() == null ? "no value" : record.value().getClass().getName()) + ", not a DeadLetter");
            return;
        }
        DeadLetterRecord projected = new DeadLetterRecord(letter.getSourceTopic(), letter.getSourcePartition(),
                letter.getSourceOffset(), letter.getConsumer(), letter.getReason(), letter.getFailedAt(),
                letter.getPayload() == null ? null : letter.getPayload().remaining(), record.partition(), record.offset());
        boolean recorded;
        try {
            recorded = records.recordDeadLetter(projected);
        } catch (RuntimeException e) {
            throw new LedgerUnavailableException("could not record dead letter " + record.topic() + "-"
                    + record.partition() + "@" + record.offset(), e);
        }
        if (recorded) {
            LOG.info("dead letter recorded: {} rejected {}-{}@{} ({} bytes) at {}, found at {}-{}@{}",
                    projected.consumer(), projected.sourceTopic(), projected.sourcePartition(), projected.sourceOffset(),
                    projected.payloadSize(), projected.failedAt(), record.topic(), record.partition(), record.offset());
        } else {
            LOG.debug("dead letter {}-{}@{} already recorded", record.topic(), record.partition(), record.offset());
        }
    }

    @Override
    public void handle(KafkaListenerException exception) {
        Throwable cause = exception.getCause() == null ? exception : exception.getCause();
        if (cause instanceof RecordDeserializationException undecodable) {
            // The consumer has already moved past it.
            skip(undecodable.topicPartition().topic(), undecodable.topicPartition().partition(), undecodable.offset(),
                    DeadLetters.reasonOf(undecodable));
            return;
        }
        ConsumerRecord<?, ?> record = exception.getConsumerRecord().orElse(null);
        if (record == null) {
            LOG.error("dead letters: consumer error outside any record", cause);
            return;
        }
        LOG.error("dead letters: could not record {}-{}@{}; it will be read again", record.topic(), record.partition(),
                record.offset(), cause);
        exception.getKafkaConsumer().seek(new TopicPartition(record.topic(), record.partition()), record.offset());
    }

    private void skip(String topic, int partition, long offset, String why) {
        metrics.unreadableDeadLetter();
        LOG.error("dead letters: skipped unreadable {}-{}@{} (never dead-lettered again): {}", topic, partition, offset, why);
    }
}
