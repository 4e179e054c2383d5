package io.jitbroker.request.kafka;

import io.jitbroker.contracts.Topics;
import io.jitbroker.micronaut.kafka.DeadLetterNotWrittenException;
import io.jitbroker.micronaut.kafka.DeadLetterSender;
import io.jitbroker.request.domain.InconsistentEventException;
import io.jitbroker.request.domain.LedgerEvent;
import io.jitbroker.request.metrics.RequestMetrics;
import io.jitbroker.request.persistence.Ledger;
import io.micronaut.configuration.kafka.annotation.ErrorStrategy;
import io.micronaut.configuration.kafka.annotation.ErrorStrategyValue;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerException;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerExceptionHandler;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
                exceptionTypes = {RequestNotInLedgerException.class, LedgerUnavailableException.class,
                        DeadLetterNotWrittenException.class}))
public class LedgerProjectionListener implements KafkaListenerExceptionHandler {

    public static final String GROUP_ID = "request-service.v1";
    private static final Logger LOG = LoggerFactory.getLogger(LedgerProjectionListener.class);

    private final Ledger ledger;
    private final DeadLetterSender deadLetters;
    private final RequestMetrics metrics;

    public LedgerProjectionListener(Ledger ledger, DeadLetterSender deadLetters, RequestMetrics metrics) {
        this.ledger = ledger;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    @Topic({Topics.Names.ACCESS_DECISIONS, Topics.Names.GRANTS, Topics.Names.REVOCATIONS, Topics.Names.ENFORCEMENTS})
    public void receive(ConsumerRecord<String, Object> record) {
        LedgerEvent event;
        Ledger.Update update;
        try {
            event = LedgerEvents.fromRecord(record.topic(), record.value());
            update = apply(event, record);
        } catch (InvalidEventException | InconsistentEventException e) {
            deadLetters.rejected(GROUP_ID, record, e.getMessage());
            return;
        }
        switch (update) {
            case APPLIED -> {
                metrics.ledgerUpdated(record.topic());
                if (event instanceof LedgerEvent.Decided decided) {
                    metrics.decision(decided.outcome(), decided.denyCode());
                }
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
        ConsumerRecord<?, ?> record = exception.getConsumerRecord().orElse(null);
        if (record != null && exception.getCause() instanceof RequestNotInLedgerException unknown) {
            metrics.ledgerUnknownRequest(record.topic());
            LOG.warn("ledger: {} ({}-{}@{}, key {}); skipped", unknown.getMessage(), record.topic(),
                    record.partition(), record.offset(), record.key());
            return;
        }
        deadLetters.onListenerFailure(GROUP_ID, exception);
    }
}
