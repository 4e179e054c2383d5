package io.jitbroker.request.kafka;

import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.Alert;
import io.jitbroker.micronaut.kafka.DeadLetterNotWrittenException;
import io.jitbroker.micronaut.kafka.DeadLetterSender;
import io.jitbroker.request.domain.AlertRecord;
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
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projects the alerts policy-service raises (break-glass requests) into the ledger database, for
 * SREs (GET /v1/alerts). Each alert is stored once, by its id.
 *
 * <p>Errors, on purpose: a record that cannot be decoded or misses an id is dead-lettered and the
 * consumer moves on; a database that does not answer is retried with growing delays, then the
 * record is dead-lettered so that it can be replayed.
 */
@KafkaListener(
        groupId = LedgerProjectionListener.GROUP_ID,
        clientId = "request-service-alerts",
        offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.SYNC,
        errorStrategy = @ErrorStrategy(
                value = ErrorStrategyValue.RETRY_EXPONENTIALLY_ON_ERROR,
                retryCountValue = "${jit.ledger.retry-count:5}",
                retryDelay = "${jit.ledger.retry-delay:200ms}",
                exceptionTypes = {LedgerUnavailableException.class, DeadLetterNotWrittenException.class}))
public class AlertProjectionListener implements KafkaListenerExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AlertProjectionListener.class);

    private final OperationalRecords records;
    private final DeadLetterSender deadLetters;
    private final RequestMetrics metrics;

    public AlertProjectionListener(OperationalRecords records, DeadLetterSender deadLetters, RequestMetrics metrics) {
        this.records = records;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    @Topic(Topics.Names.ALERTS)
    public void receive(ConsumerRecord<String, Object> record) {
        AlertRecord alert;
        try {
            alert = toRecord(record.value());
        } catch (InvalidEventException e) {
            deadLetters.rejected(LedgerProjectionListener.GROUP_ID, record, e.getMessage());
            return;
        }
        boolean recorded;
        try {
            recorded = records.recordAlert(alert);
        } catch (RuntimeException e) {
            throw new LedgerUnavailableException("could not record alert " + alert.alertId() + " from "
                    + record.topic() + "-" + record.partition() + "@" + record.offset(), e);
        }
        if (recorded) {
            metrics.alertRecorded(alert.kind());
            LOG.info("alert {} ({}) about workload {} request {} recorded from {}-{}@{}", alert.alertId(), alert.kind(),
                    alert.workloadId(), alert.requestId(), record.topic(), record.partition(), record.offset());
        } else {
            LOG.debug("alert {} already recorded", alert.alertId());
        }
    }

    @Override
    public void handle(KafkaListenerException exception) {
        deadLetters.onListenerFailure(LedgerProjectionListener.GROUP_ID, exception);
    }

    private static AlertRecord toRecord(Object value) {
        if (!(value instanceof Alert alert)) {
            throw new InvalidEventException(Topics.Names.ALERTS + " carries Alert but the record holds "
                    + (value == null ? "no value (tombstone)" : value.getClass().getName()));
        }
        return new AlertRecord(LedgerEvents.required("alertId", alert.getAlertId()), alert.getKind().name(),
                LedgerEvents.required("workloadId", alert.getWorkloadId()), alert.getRequestId(), alert.getTaskId(),
                alert.getEnvironment(), alert.getSummary(), alert.getRaisedAt());
    }
}
