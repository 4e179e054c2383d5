package io.jitbroker.issuer.kafka;

import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.events.v1.DecisionOutcome;
import io.jitbroker.issuer.domain.ApprovedDecision;
import io.jitbroker.issuer.domain.Grant;
import io.jitbroker.issuer.domain.GrantIssuer;
import io.jitbroker.issuer.domain.InvalidEventException;
import io.jitbroker.issuer.metrics.IssuerMetrics;
import io.jitbroker.micronaut.kafka.DeadLetterSender;
import io.micronaut.configuration.kafka.annotation.ErrorStrategy;
import io.micronaut.configuration.kafka.annotation.ErrorStrategyValue;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerException;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerExceptionHandler;
import io.micronaut.configuration.kafka.retry.ConditionalRetryBehaviourHandler;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues one grant per approved decision and announces it on jit.grants.v1. The offset is committed
 * only after the announcement is acknowledged, and a redelivered decision finds its stored grant and
 * announces it again with the same grant id, so a crash in between loses nothing and doubles nothing.
 * Transient failures are retried with backoff (about two minutes), then dead-lettered: no grant is
 * better than a wrong one.
 */
@KafkaListener(groupId = IssuerKafka.GROUP_ID,
        offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.SYNC_PER_RECORD,
        isolation = IsolationLevel.READ_COMMITTED,
        errorStrategy = @ErrorStrategy(value = ErrorStrategyValue.RETRY_CONDITIONALLY_EXPONENTIALLY_ON_ERROR,
                retryDelay = "500ms", retryCount = 8))
public class AccessDecisionListener implements KafkaListenerExceptionHandler, ConditionalRetryBehaviourHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AccessDecisionListener.class);

    private final GrantIssuer issuer;
    private final GrantEventsClient grantEvents;
    private final DeadLetterSender deadLetters;
    private final IssuerMetrics metrics;

    public AccessDecisionListener(GrantIssuer issuer, GrantEventsClient grantEvents, DeadLetterSender deadLetters,
                                  IssuerMetrics metrics) {
        this.issuer = issuer;
        this.grantEvents = grantEvents;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    @Topic(Topics.Names.ACCESS_DECISIONS)
    public void receive(ConsumerRecord<String, AccessDecision> record) {
        AccessDecision decision = record.value();
        if (decision == null) {
            deadLetters.rejected(IssuerKafka.GROUP_ID, record, "the record has no value; an AccessDecision is required");
            return;
        }
        if (decision.getOutcome() != DecisionOutcome.APPROVED) {
            LOG.debug("decision for request {} is {}; nothing to issue", decision.getRequestId(), decision.getOutcome());
            return;
        }
        GrantIssuer.Issuance issuance;
        try {
            ApprovedDecision approved = EventMapping.approved(decision);
            issuance = issuer.issue(approved);
        } catch (InvalidEventException e) {
            deadLetters.rejected(IssuerKafka.GROUP_ID, record, "approved decision for request " + decision.getRequestId()
                    + " cannot be issued: " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.warn("issuing for request {} ({}-{}@{}) failed; will retry: {}", decision.getRequestId(), record.topic(),
                    record.partition(), record.offset(), e.toString());
            throw e;
        }
        announce(issuance, record);
    }

    private void announce(GrantIssuer.Issuance issuance, ConsumerRecord<String, AccessDecision> record) {
        Grant grant = issuance.grant();
        try {
            grantEvents.send(grant.grantId().toString(), EventMapping.grantIssued(grant));
        } catch (RuntimeException e) {
            LOG.warn("announcing grant {} for request {} failed; will retry: {}", grant.grantId(), grant.requestId(),
                    e.toString());
            throw e;
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

    @Override
    public void handle(KafkaListenerException failure) {
        deadLetters.onListenerFailure(IssuerKafka.GROUP_ID, failure);
    }

    @Override
    public ConditionalRetryBehaviour conditionalRetryBehaviour(KafkaListenerException failure) {
        return DeadLetterSender.retryBehaviour(failure);
    }
}
