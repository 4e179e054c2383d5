package io.jitbroker.issuer.messaging;

import io.jitbroker.events.v1.Revocation;
import io.jitbroker.issuer.IssuerMetrics;
import io.jitbroker.issuer.domain.RevocationEnforcer;
import io.jitbroker.schemas.Topics;
import io.micronaut.configuration.kafka.annotation.ErrorStrategy;
import io.micronaut.configuration.kafka.annotation.ErrorStrategyValue;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerException;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerExceptionHandler;
import io.micronaut.configuration.kafka.retry.ConditionalRetryBehaviourHandler;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces revocations: the revoked grant is the deny-list entry introspection reads. A revocation
 * is never given up on: transient failures are retried every two seconds for as long as they last
 * (the partition waits), because skipping one would leave a revoked credential live.
 */
@KafkaListener(groupId = IssuerKafka.GROUP_ID,
        offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.SYNC_PER_RECORD,
        isolation = IsolationLevel.READ_COMMITTED,
        errorStrategy = @ErrorStrategy(value = ErrorStrategyValue.RETRY_CONDITIONALLY_ON_ERROR,
                retryDelay = "2s", retryCount = Integer.MAX_VALUE))
public class RevocationListener implements KafkaListenerExceptionHandler, ConditionalRetryBehaviourHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationListener.class);

    private final RevocationEnforcer enforcer;
    private final DeadLetterOffice deadLetters;
    private final IssuerMetrics metrics;

    public RevocationListener(RevocationEnforcer enforcer, DeadLetterOffice deadLetters, IssuerMetrics metrics) {
        this.enforcer = enforcer;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    @Topic(Topics.Names.REVOCATIONS)
    public void receive(ConsumerRecord<String, Revocation> record) {
        Revocation revocation = record.value();
        if (revocation == null) {
            deadLetters.rejected(record, "the record has no value; a Revocation is required");
            return;
        }
        UUID grantId;
        try {
            grantId = UUID.fromString(revocation.getGrantId());
        } catch (IllegalArgumentException | NullPointerException e) {
            deadLetters.rejected(record, "grantId must be a UUID issued by issuer-service, got '" + revocation.getGrantId() + "'");
            return;
        }
        RevocationEnforcer.Outcome outcome;
        try {
            outcome = enforcer.enforce(grantId, revocation.getReason().name(), revocation.getDetail(),
                    revocation.getRevokedAt());
        } catch (RuntimeException e) {
            LOG.warn("enforcing the revocation of grant {} ({}-{}@{}) failed; will retry: {}", grantId, record.topic(),
                    record.partition(), record.offset(), e.toString());
            throw e;
        }
        switch (outcome) {
            case ENFORCED -> {
                metrics.revocationEnforced();
                LOG.info("revoked grant {} (request {}, task {}, credential {}): {}: {}", grantId,
                        revocation.getRequestId(), revocation.getTaskId(), revocation.getCredentialId(),
                        revocation.getReason(), revocation.getDetail());
            }
            case ALREADY_ENFORCED -> LOG.debug("grant {} was already revoked; revocation redelivered at {}-{}@{}",
                    grantId, record.topic(), record.partition(), record.offset());
            case UNKNOWN_GRANT -> {
                metrics.revocationForUnknownGrant();
                LOG.warn("revocation for unknown grant {} (request {}, task {}, {}); nothing to deny", grantId,
                        revocation.getRequestId(), revocation.getTaskId(), revocation.getReason());
            }
        }
    }

    @Override
    public void handle(KafkaListenerException failure) {
        deadLetters.onListenerFailure(failure);
    }

    @Override
    public ConditionalRetryBehaviour conditionalRetryBehaviour(KafkaListenerException failure) {
        return DeadLetterOffice.retryBehaviour(failure);
    }
}
