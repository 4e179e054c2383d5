package io.jitbroker.request.kafka;

import io.jitbroker.contracts.Topics;
import io.jitbroker.micronaut.kafka.DeadLetterNotWrittenException;
import io.jitbroker.micronaut.kafka.DeadLetterSender;
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
import io.micronaut.configuration.kafka.retry.ConditionalRetryBehaviourHandler;
import io.micronaut.context.annotation.Value;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projects decisions, grants, revocations and their enforcements onto the ledger, a poll's worth at a
 * time in one database transaction (one commit for many events, not one per event).
 *
 * <p>Errors, on purpose: a record that cannot be decoded, is not the topic's type or contradicts
 * the ledger goes to the dead-letter topic and the others of its batch are applied. An event for a
 * request the ledger does not know is looked for again a few times with growing delays, then logged,
 * counted and skipped (requests are stored before they are published, so only a request published
 * around this service has none). A database that does not answer stops the projection: the batch is
 * retried every few seconds until it answers, nothing is skipped.
 */
@KafkaListener(
        groupId = LedgerProjectionListener.GROUP_ID,
        clientId = "request-service-ledger",
        batch = true,
        offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.SYNC,
        errorStrategy = @ErrorStrategy(
                value = ErrorStrategyValue.RETRY_CONDITIONALLY_EXPONENTIALLY_ON_ERROR,
                retryCount = Integer.MAX_VALUE,
                retryDelay = "200ms",
                exceptionTypes = {LedgerUnavailableException.class, DeadLetterNotWrittenException.class}))
public class LedgerProjectionListener implements KafkaListenerExceptionHandler, ConditionalRetryBehaviourHandler {

    public static final String GROUP_ID = "request-service.v1";
    private static final Logger LOG = LoggerFactory.getLogger(LedgerProjectionListener.class);

    private final Ledger ledger;
    private final DeadLetterSender deadLetters;
    private final RequestMetrics metrics;
    private final int unknownRetries;
    private final Duration unknownRetryDelay;

    public LedgerProjectionListener(Ledger ledger, DeadLetterSender deadLetters, RequestMetrics metrics,
                                    @Value("${jit.ledger.retry-count:5}") int unknownRetries,
                                    @Value("${jit.ledger.retry-delay:200ms}") Duration unknownRetryDelay) {
        this.ledger = ledger;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.unknownRetries = unknownRetries;
        this.unknownRetryDelay = unknownRetryDelay;
    }

    @Topic({Topics.Names.ACCESS_DECISIONS, Topics.Names.GRANTS, Topics.Names.REVOCATIONS, Topics.Names.ENFORCEMENTS})
    public void receive(List<ConsumerRecord<String, Object>> records) {
        List<ConsumerRecord<String, Object>> valid = new ArrayList<>(records.size());
        List<LedgerEvent> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, Object> record : records) {
            try {
                events.add(LedgerEvents.fromRecord(record.topic(), record.value()));
                valid.add(record);
            } catch (InvalidEventException e) {
                deadLetters.rejected(GROUP_ID, record, e.getMessage());
            }
        }
        List<Ledger.Outcome> outcomes = apply(events);
        List<Integer> unknown = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i).update() == Ledger.Update.UNKNOWN) {
                unknown.add(i);
            } else {
                settled(valid.get(i), events.get(i), outcomes.get(i));
            }
        }
        if (!unknown.isEmpty()) {
            lookAgain(unknown, valid, events);
        }
    }

    /** Events for requests not in the ledger (yet): a few more tries, alone, then counted and skipped. */
    private void lookAgain(List<Integer> unknown, List<ConsumerRecord<String, Object>> records, List<LedgerEvent> events) {
        for (int index : unknown) {
            ConsumerRecord<String, Object> record = records.get(index);
            LedgerEvent event = events.get(index);
            Duration delay = unknownRetryDelay;
            Ledger.Outcome outcome = Ledger.Outcome.UNKNOWN;
            for (int attempt = 0; attempt < unknownRetries && outcome.update() == Ledger.Update.UNKNOWN; attempt++) {
                pause(delay);
                delay = delay.multipliedBy(2);
                outcome = apply(List.of(event)).get(0);
            }
            if (outcome.update() == Ledger.Update.UNKNOWN) {
                metrics.ledgerUnknownRequest(record.topic());
                LOG.warn("ledger: request {} is not in the ledger ({}-{}@{}, key {}); skipped", event.requestId(),
                        record.topic(), record.partition(), record.offset(), record.key());
            } else {
                settled(record, event, outcome);
            }
        }
    }

    private void settled(ConsumerRecord<String, Object> record, LedgerEvent event, Ledger.Outcome outcome) {
        switch (outcome.update()) {
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
                LOG.debug("ledger: request {} updated from {}-{}@{}", event.requestId(), record.topic(),
                        record.partition(), record.offset());
            }
            case UNCHANGED -> LOG.debug("ledger: request {} already reflects {}-{}@{}", event.requestId(),
                    record.topic(), record.partition(), record.offset());
            case INCONSISTENT -> deadLetters.rejected(GROUP_ID, record, outcome.reason());
            case UNKNOWN -> throw new IllegalStateException("unknown requests are looked for again, not settled");
        }
    }

    private List<Ledger.Outcome> apply(List<LedgerEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        try {
            return ledger.applyAll(events);
        } catch (RuntimeException e) {
            throw new LedgerUnavailableException("could not apply " + events.size() + " events to the ledger", e);
        }
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerUnavailableException("interrupted while looking for a request again", e);
        }
    }

    /** Called for records that did not decode; the consumer has already moved past them. */
    @Override
    public void handle(KafkaListenerException exception) {
        deadLetters.onListenerFailure(GROUP_ID, exception);
    }

    /**
     * Beyond the exception types above, a record that did not decode only because the schema registry
     * did not answer is read again (the ledger would otherwise never learn that event).
     */
    @Override
    public ConditionalRetryBehaviour conditionalRetryBehaviour(KafkaListenerException failure) {
        return DeadLetterSender.undecodedForRegistryOutage(failure)
                ? ConditionalRetryBehaviour.RETRY
                : ConditionalRetryBehaviour.SKIP;
    }
}
