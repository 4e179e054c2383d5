package io.jitbroker.issuer.kafka;

import io.jitbroker.kafka.KafkaTracing;
import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.issuer.app.PostgresEnforcementRetrier;
import io.jitbroker.issuer.domain.Enforcement;
import io.jitbroker.issuer.domain.RevocationEnforcer;
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
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces revocations and announces each enforcement on jit.enforcements.v1, a poll's worth at a
 * time. The revoked grant is the deny-list entry introspection reads; only once it is durable (and,
 * for a database login, its role dropped at the target) is RevocationEnforced published, and the
 * offsets are committed only after the broker acknowledged every announcement of the batch. A redelivered revocation re-announces the enforcement exactly as
 * recorded (same enforcedAt), so consumers see identical duplicates at worst (at-least-once). A
 * revocation is never given up on: failures of this service's own database or broker are retried
 * every two seconds for as long as they last (the partition waits), because skipping one would leave a
 * revoked credential live or an enforcement unannounced. A database target that cannot drop a login
 * does not hold the partition up: the grant is revoked here and {@link PostgresEnforcementRetrier}
 * keeps trying the target, then announces.
 *
 * <p>Before each poll, idle ones included, {@link RevocationCatchUpProbe} confirms on this consumer's
 * thread how far the partitions it holds have been applied, and records it for every instance:
 * introspection trusts "not revoked" only while that is recent.
 */
@KafkaListener(groupId = IssuerKafka.GROUP_ID,
        clientId = IssuerKafka.REVOCATIONS_CLIENT_ID,
        batch = true,
        offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.SYNC,
        isolation = IsolationLevel.READ_COMMITTED,
        errorStrategy = @ErrorStrategy(value = ErrorStrategyValue.RETRY_CONDITIONALLY_ON_ERROR,
                retryDelay = "2s", retryCount = Integer.MAX_VALUE))
public class RevocationListener implements KafkaListenerExceptionHandler, ConditionalRetryBehaviourHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationListener.class);

    private final RevocationEnforcer enforcer;
    private final EnforcementAnnouncer announcer;
    private final PostgresEnforcementRetrier retrier;
    private final DeadLetterSender deadLetters;
    private final IssuerMetrics metrics;
    private final KafkaTracing tracing;

    public RevocationListener(RevocationEnforcer enforcer, EnforcementAnnouncer announcer,
                              PostgresEnforcementRetrier retrier, DeadLetterSender deadLetters, IssuerMetrics metrics,
                              KafkaTracing tracing) {
        this.enforcer = enforcer;
        this.announcer = announcer;
        this.retrier = retrier;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    @Topic(Topics.Names.REVOCATIONS)
    public void receive(List<ConsumerRecord<String, Revocation>> records) {
        List<Announcement> announcements = new ArrayList<>();
        for (ConsumerRecord<String, Revocation> record : records) {
            // One span per revocation, continuing its trace; the announcement is sent from it.
            tracing.inConsumerSpan("issuer enforce revocation", record.headers(), () -> enforce(record)
                    .map(enforcement -> announcements.add(new Announcement(announcer.send(enforcement), record))));
        }
        for (Announcement announcement : announcements) {
            announcement.await();
        }
    }

    /** The enforcement to announce, if any. */
    private Optional<Enforcement> enforce(ConsumerRecord<String, Revocation> record) {
        Revocation revocation = record.value();
        if (revocation == null) {
            deadLetters.rejected(IssuerKafka.GROUP_ID, record, "the record has no value; a Revocation is required");
            return Optional.empty();
        }
        try (LogContext ids = LogContext.of(LogContext.GRANT_ID, revocation.getGrantId(),
                LogContext.REQUEST_ID, revocation.getRequestId(), LogContext.TASK_ID, revocation.getTaskId(),
                LogContext.WORKLOAD_ID, revocation.getWorkloadId())) {
            return enforce(record, revocation);
        }
    }

    private Optional<Enforcement> enforce(ConsumerRecord<String, Revocation> record, Revocation revocation) {
        UUID grantId;
        try {
            grantId = UUID.fromString(revocation.getGrantId());
        } catch (IllegalArgumentException | NullPointerException e) {
            deadLetters.rejected(IssuerKafka.GROUP_ID, record, "grantId must be a UUID issued by issuer-service, got '" + revocation.getGrantId() + "'");
            return Optional.empty();
        }
        RevocationEnforcer.Result result;
        try {
            result = enforcer.enforce(grantId, revocation.getReason().name(), revocation.getDetail(),
                    revocation.getRevokedAt());
        } catch (RuntimeException e) {
            LOG.warn("enforcing the revocation of grant {} ({}-{}@{}) failed; will retry: {}", grantId, record.topic(),
                    record.partition(), record.offset(), e.toString());
            throw e;
        }
        Enforcement enforcement = result.enforcement();
        switch (result.outcome()) {
            case ENFORCED -> {
                retrier.succeeded(result.grant());
                metrics.revocationEnforced(enforcement);
                LOG.info("revoked grant {} (request {}, task {}, credential {}): {}: {}; enforced on {} at {}, {} ms after "
                                + "revocation", grantId, revocation.getRequestId(), revocation.getTaskId(),
                        revocation.getCredentialId(), revocation.getReason(), revocation.getDetail(),
                        enforcement.backend(), enforcement.enforcedAt(), enforcement.timeToEnforce().toMillis());
            }
            case ALREADY_ENFORCED -> LOG.info("grant {} was already revoked and enforced at {}; revocation redelivered at "
                            + "{}-{}@{}, announcing the recorded enforcement again", grantId, enforcement.enforcedAt(),
                    record.topic(), record.partition(), record.offset());
            case PENDING -> {
                retrier.failed(result.grant(), result.failure());
                LOG.warn("revoked grant {} (request {}, task {}, credential {}): {}: {}; pickup is refused, but its "
                                + "database login could not be dropped yet and will be retried: {}", grantId,
                        revocation.getRequestId(), revocation.getTaskId(), revocation.getCredentialId(),
                        revocation.getReason(), revocation.getDetail(), result.failure());
                return Optional.empty();
            }
            case UNKNOWN_GRANT -> {
                metrics.revocationForUnknownGrant();
                LOG.warn("revocation for unknown grant {} (request {}, task {}, {}); nothing to deny or announce", grantId,
                        revocation.getRequestId(), revocation.getTaskId(), revocation.getReason());
                return Optional.empty();
            }
        }
        return Optional.of(enforcement);
    }

    /** An enforcement's announcement on its way, with the revocation it answers. */
    private record Announcement(EnforcementAnnouncer.Sent sent, ConsumerRecord<String, Revocation> record) {

        void await() {
            try {
                sent.awaitAcknowledged();
            } catch (RuntimeException e) {
                // The deny-list entry stands; the redelivered revocation will announce the same enforcedAt.
                LOG.warn("announcing the enforcement of grant {} ({}-{}@{}) failed; will retry: {}",
                        sent.enforcement().grantId(), record.topic(), record.partition(), record.offset(), e.toString());
                throw e;
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
