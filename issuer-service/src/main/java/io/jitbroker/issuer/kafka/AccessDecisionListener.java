package io.jitbroker.issuer.kafka;

import io.jitbroker.kafka.KafkaTracing;
import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.events.v1.DecisionOutcome;
import io.jitbroker.issuer.domain.Grant;
import io.jitbroker.issuer.domain.GrantIssuer;
import io.jitbroker.issuer.domain.InvalidEventException;
import io.jitbroker.issuer.metrics.IssuerMetrics;
import io.jitbroker.micronaut.kafka.DeadLetterSender;
import io.jitbroker.micronaut.logging.LogContext;
import io.micronaut.configuration.kafka.annotation.ErrorStrategy;
import io.micronaut.configuration.kafka.annotation.ErrorStrategyValue;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerException;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerExceptionHandler;
import io.micronaut.configuration.kafka.retry.ConditionalRetryBehaviourHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues one grant per approved decision and announces it on jit.grants.v1, a poll's worth of
 * decisions at a time: the grants are stored, their announcements sent together, and the offsets
 * committed only once the broker acknowledged every one of them. A redelivered decision finds its
 * stored grant and announces it again with the same grant id, so a crash in between loses nothing and
 * doubles nothing. A failure retries the whole batch with backoff (about two minutes), then
 * dead-letters: no grant is better than a wrong one.
 */
@KafkaListener(groupId = IssuerKafka.GROUP_ID,
        batch = true,
        offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.SYNC,
        isolation = IsolationLevel.READ_COMMITTED,
        errorStrategy = @ErrorStrategy(value = ErrorStrategyValue.RETRY_CONDITIONALLY_EXPONENTIALLY_ON_ERROR,
                retryDelay = "500ms", retryCount = 8))
public class AccessDecisionListener implements KafkaListenerExceptionHandler, ConditionalRetryBehaviourHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AccessDecisionListener.class);

    private final GrantIssuer issuer;
    private final GrantEventsClient grantEvents;
    private final DeadLetterSender deadLetters;
    private final IssuerMetrics metrics;
    private final KafkaTracing tracing;

    public AccessDecisionListener(GrantIssuer issuer, GrantEventsClient grantEvents, DeadLetterSender deadLetters,
                                  IssuerMetrics metrics, KafkaTracing tracing) {
        this.issuer = issuer;
        this.grantEvents = grantEvents;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    @Topic(Topics.Names.ACCESS_DECISIONS)
    public void receive(List<ConsumerRecord<String, AccessDecision>> records) {
        List<Announcement> announcements = new ArrayList<>();
        for (ConsumerRecord<String, AccessDecision> record : records) {
            // One span per decision, continuing the request's trace; the grant is announced from it.
            tracing.inConsumerSpan("issuer issue grant", record.headers(), () -> issue(record)
                    .map(issuance -> announcements.add(new Announcement(issuance, record,
                            grantEvents.send(issuance.grant().grantId().toString(), EventMapping.grantIssued(issuance.grant()))))));
        }
        for (Announcement announcement : announcements) {
            announcement.awaitAcknowledged();
        }
    }

    private Optional<GrantIssuer.Issuance> issue(ConsumerRecord<String, AccessDecision> record) {
        AccessDecision decision = record.value();
        if (decision == null) {
            deadLetters.rejected(IssuerKafka.GROUP_ID, record, "the record has no value; an AccessDecision is required");
            return Optional.empty();
        }
        if (decision.getOutcome() != DecisionOutcome.APPROVED) {
            LOG.debug("decision for request {} is {}; nothing to issue", decision.getRequestId(), decision.getOutcome());
            return Optional.empty();
        }
        try (LogContext ids = LogContext.of(LogContext.REQUEST_ID, decision.getRequestId(),
                LogContext.WORKLOAD_ID, decision.getWorkloadId(), LogContext.TASK_ID, decision.getTaskId())) {
            return Optional.of(issuer.issue(EventMapping.approved(decision)));
        } catch (InvalidEventException e) {
            deadLetters.rejected(IssuerKafka.GROUP_ID, record, "approved decision for request " + decision.getRequestId()
                    + " cannot be issued: " + e.getMessage());
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.warn("issuing for request {} ({}-{}@{}) failed; will retry: {}", decision.getRequestId(), record.topic(),
                    record.partition(), record.offset(), e.toString());
            throw e;
        }
    }

    /** A grant whose announcement is on its way to the broker. */
    private final class Announcement {

        private final GrantIssuer.Issuance issuance;
        private final ConsumerRecord<String, AccessDecision> record;
        private final Future<RecordMetadata> sent;

        private Announcement(GrantIssuer.Issuance issuance, ConsumerRecord<String, AccessDecision> record,
                             Future<RecordMetadata> sent) {
            this.issuance = issuance;
            this.record = record;
            this.sent = sent;
        }

        void awaitAcknowledged() {
            Grant grant = issuance.grant();
            try {
                sent.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while announcing grant " + grant.grantId(), e);
            } catch (ExecutionException e) {
                LOG.warn("announcing grant {} for request {} failed; will retry: {}", grant.grantId(), grant.requestId(),
                        e.getCause().toString());
                throw new IllegalStateException("announcing grant " + grant.grantId() + " failed", e.getCause());
            }
            if (issuance.created()) {
                metrics.grantIssued();
                LOG.info("issued grant {} (credential {}) for request {}: workload {}, task {}, env {}, expires {}",
                        grant.grantId(), grant.credentialId(), grant.requestId(), grant.workloadId(), grant.taskId(),
                        grant.environment(), grant.expiresAt());
            } else {
                LOG.info("request {} already has grant {} (decision redelivered at {}-{}@{}); announced it again",
                        grant.requestId(), grant.grantId(), record.topic(), record.partition(), record.offset());
            }
        }
    }

    @Override
    public void handle(KafkaListenerException failure) {
        deadLetters.onListenerFailure(IssuerKafka.GROUP_ID, failure);
    }

    @Override
    public ConditionalRetryBehaviour conditionalRetryBehaviour(KafkaListenerException failure) {
        return DeadLetterSender.retryBehaviour(failure);
    }
}
