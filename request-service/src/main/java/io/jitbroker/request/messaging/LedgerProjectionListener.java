package io.jitbroker.request.messaging;

import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.request.RequestMetrics;
import io.jitbroker.request.domain.InconsistentEventException;
import io.jitbroker.request.domain.LedgerEvent;
import io.jitbroker.request.repository.Ledger;
import io.jitbroker.schemas.DeadLetters;
import io.jitbroker.schemas.Topics;
import io.micronaut.configuration.kafka.annotation.ErrorStrategy;
import io.micronaut.configuration.kafka.annotation.ErrorStrategyValue;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerException;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerExceptionHandler;
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
 * Projects decisions, grants, revocations and their enforcements onto the ledger.
 *
 * <p>Errors, on purpose: a record that cannot be decoded, is not the topic's type or contradicts
 * the ledger goes to the dead-letter topic and the consumer moves on. A request the ledger does
 * not know yet, or a database that does not answer, is retried with growing delays (the row may
 * be committing); after that an unknown request is logged and counted, and a record the database
 * never took is dead-lettered so that it can be replayed.
 */
@KafkaListener(
        groupId = LedgerProjectionListener.GROUP_ID,
        clientId = "request-service-ledger",
        offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.SYNC,
        errorStrategy = @ErrorStrategy(
                value = ErrorStrategyValue.RETRY_EXPONENTIALLY_ON_ERROR,
                retryCountValue = "${jit.ledger.retry-count:5}",
                retryDelay = "${jit.ledger.retry-delay:200ms}",
                exceptionTypes = {RequestNotInLedgerException.class, LedgerUnavailableException.class}))
public class LedgerProjectionListener implements KafkaListenerExceptionHandler {

    public static final String GROUP_ID = "request-service.v1";
    private static final Logger LOG = LoggerFactory.getLogger(LedgerProjectionListener.class);

    private final Ledger ledger;
    private final EventPublisher publisher;
    private final RequestMetrics metrics;
    private final Clock clock;

    public LedgerProjectionListener(Ledger ledger, EventPublisher publisher, RequestMetrics metrics, Clock clock) {
        this.ledger = ledger;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Topic({Topics.Names.ACCESS_DECISIONS, Topics.Names.GRANTS, Topics.Names.REVOCATIONS, Topics.Names.ENFORCEMENTS})
    public void receive(ConsumerRecord<String, Object> record) {
        LedgerEvent event;
        Ledger.Update update;
        try {
            event = LedgerEvents.fromRecord(record.topic(), record.value());
            update = apply(event, record);
        } catch (InvalidEventException | InconsistentEventException e) {
            deadLetter(record, DeadLetters.rejected(GROUP_ID, record, null, e.getMessage(), clock.instant()));
            return;
        }
        switch (update) {
            case APPLIED -> {
                metrics.ledgerUpdated(record.topic());
                if (event instanceof LedgerEvent.Enforced enforced) {
                    metrics.enforcementRecorded();
                    LOG.info("ledger: revocation of grant {} (request {}) enforced at {} by {}", enforced.grantId(),
                            enforced.requestId(), enforced.enforcedAt(), enforced.backend());
                }
                LOG.info("ledger: request {} updated from {}-{}@{}", event.requestId(), record.topic(),
                        record.partition(), record.offset());
            }
            case UNCHANGED -> LOG.debug("ledger: request {} already reflects {}-{}@{}", event.requestId(),
                    record.topic(), record.partition(), record.offset());
            case UNKNOWN -> throw new RequestNotInLedgerException(event.requestId(), record.topic());
        }
    }

    private Ledger.Update apply(LedgerEvent event, ConsumerRecord<String, Object> record) {
        try {
            return ledger.apply(event);
        } catch (InconsistentEventException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new LedgerUnavailableException("could not apply " + record.topic() + "-" + record.partition()
                    + "@" + record.offset() + " to the ledger", e);
        }
    }

    /** Called for what {@link #receive} could not handle (after retries) and for records that did not decode. */
    @Override
    public void handle(KafkaListenerException exception) {
        Throwable cause = exception.getCause();
        Consumer<?, ?> consumer = exception.getKafkaConsumer();
        if (cause instanceof RecordDeserializationException undecodable) {
            // The consumer has already moved past the record; a dead letter keeps it findable.
            String key = utf8(undecodable.keyBuffer());
            LOG.warn("ledger: could not decode {}@{}: {}", undecodable.topicPartition(), undecodable.offset(),
                    DeadLetters.reasonOf(undecodable));
            if (!deadLetter(key, DeadLetters.undecodable(GROUP_ID, undecodable, clock.instant()))) {
                consumer.seek(undecodable.topicPartition(), undecodable.offset());
            }
            return;
        }
        ConsumerRecord<?, ?> record = exception.getConsumerRecord().orElse(null);
        if (record == null) {
            LOG.error("ledger: consumer error outside any record", cause == null ? exception : cause);
            return;
        }
        if (cause instanceof RequestNotInLedgerException unknown) {
            metrics.ledgerUnknownRequest(record.topic());
            LOG.warn("ledger: {} ({}-{}@{}, key {}); skipped", unknown.getMessage(), record.topic(),
                    record.partition(), record.offset(), record.key());
            return;
        }
        LOG.error("ledger: giving up on {}-{}@{} (key {})", record.topic(), record.partition(), record.offset(),
                record.key(), cause);
        DeadLetter letter = DeadLetters.rejected(GROUP_ID, record, null,
                DeadLetters.reasonOf(cause == null ? exception : cause), clock.instant());
        if (!deadLetter(record.key() == null ? null : record.key().toString(), letter)) {
            consumer.seek(new TopicPartition(record.topic(), record.partition()), record.offset());
        }
    }

    private void deadLetter(ConsumerRecord<String, Object> record, DeadLetter letter) {
        if (!deadLetter(record.key(), letter)) {
            // Not lost: the next poll reads the record again.
            throw new LedgerUnavailableException("could not dead-letter " + record.topic() + "-"
                    + record.partition() + "@" + record.offset(), null);
        }
    }

    private boolean deadLetter(String key, DeadLetter letter) {
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
