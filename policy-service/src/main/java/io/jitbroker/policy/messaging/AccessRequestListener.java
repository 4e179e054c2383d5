package io.jitbroker.policy.messaging;

import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.events.v1.AccessRequest;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.policy.domain.Decision;
import io.jitbroker.policy.domain.Outcome;
import io.jitbroker.policy.domain.PolicyEngine;
import io.jitbroker.schemas.DeadLetters;
import io.jitbroker.schemas.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides every access request and publishes exactly one decision for it.
 *
 * <p>Delivery: each decision is published in a Kafka transaction together with the request's
 * offset ({@link TransactionalPublisher}), so micronaut-kafka commits nothing itself
 * ({@code OffsetStrategy.DISABLED}). When that transaction fails the listener seeks back and retries
 * the same record every second, without limit: a decision must not be lost, and a request is never
 * skipped while the broker is unreachable.
 *
 * <p>Errors: a request that decodes but is invalid is DENIED with its reasons (the requester must
 * learn the outcome); one that cannot be addressed (no value, no requestId) or cannot be decoded
 * goes to the dead-letter topic, and the consumer moves on.
 */
@KafkaListener(
        groupId = AccessRequestListener.GROUP_ID,
        clientId = "policy-service-access-requests",
        offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.DISABLED,
        isolation = IsolationLevel.READ_COMMITTED,
        errorStrategy = @ErrorStrategy(
                value = ErrorStrategyValue.RETRY_ON_ERROR,
                retryDelay = "1s",
                retryCount = Integer.MAX_VALUE,
                exceptionTypes = PublishFailedException.class))
public class AccessRequestListener implements KafkaListenerExceptionHandler {

    public static final String GROUP_ID = "policy-service.v1";
    private static final Logger LOG = LoggerFactory.getLogger(AccessRequestListener.class);

    private final PolicyEngine engine;
    private final TransactionalPublisher publisher;
    private final Map<Outcome, Counter> decisions = new EnumMap<>(Outcome.class);
    private final Counter deadLetters;

    public AccessRequestListener(PolicyEngine engine, TransactionalPublisher publisher, MeterRegistry meters) {
        this.engine = engine;
        this.publisher = publisher;
        for (Outcome outcome : Outcome.values()) {
            decisions.put(outcome, Counter.builder("jit.policy.decisions")
                    .description("Access decisions published, by outcome")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .register(meters));
        }
        this.deadLetters = Counter.builder("jit.policy.dead-letters")
                .description("Access-request records sent to the dead-letter topic")
                .register(meters);
    }

    @Topic(Topics.Names.ACCESS_REQUESTS)
    void onAccessRequest(ConsumerRecord<String, AccessRequest> record, Consumer<?, ?> consumer) {
        TopicPartition source = new TopicPartition(record.topic(), record.partition());
        AccessRequest request = record.value();
        if (request == null || request.getRequestId() == null || request.getRequestId().isBlank()) {
            String reason = request == null ? "record has no value"
                    : "access request has no requestId, so no decision can be addressed to it";
            DeadLetter letter = DeadLetters.rejected(GROUP_ID, record, null, reason, Instant.now());
            publisher.publish(new ProducerRecord<>(Topics.DEAD_LETTERS.name(), record.key(), letter),
                    source, record.offset(), consumer.groupMetadata());
            deadLetters.increment();
            LOG.warn("Dead-lettered access request {}-{}@{} (key {}): {}", record.topic(), record.partition(),
                    record.offset(), record.key(), reason);
            return;
        }

        Decision decision = decide(request, record);
        AccessDecision event = AccessEvents.toDecision(request, decision, Instant.now());
        publisher.publish(new ProducerRecord<>(Topics.ACCESS_DECISIONS.name(), request.getRequestId(), event),
                source, record.offset(), consumer.groupMetadata());
        decisions.get(decision.outcome()).increment();
        LOG.info("Request {} (task {}) from {} in {}: {} {} for {} s (heartbeat {}) by rules {} of policy {}; reasons {}",
                request.getRequestId(), request.getTaskId(), request.getWorkloadId(), request.getEnvironment(),
                decision.outcome(), decision.grantedResources().stream().map(r -> r.name() + r.actions()).toList(),
                decision.grantedTtlSeconds(), event.getHeartbeatIntervalSeconds() == null
                        ? "none" : event.getHeartbeatIntervalSeconds() + " s",
                decision.matchedRules(), decision.policyVersion(), decision.reasons());
    }

    /** The engine's answer; should the engine itself fail, a denial (fail closed) rather than a stuck partition. */
    private Decision decide(AccessRequest request, ConsumerRecord<?, ?> record) {
        try {
            return engine.decide(AccessEvents.toQuery(request));
        } catch (RuntimeException e) {
            LOG.error("Evaluating request {} from {}-{}@{} failed; denying it", request.getRequestId(),
                    record.topic(), record.partition(), record.offset(), e);
            return Decision.denied(engine.policy().version(),
                    List.of("internal error while evaluating the policy; denied (fail closed)"));
        }
    }

    /**
     * Records that never reached {@link #onAccessRequest}: undecodable ones are dead-lettered (the
     * consumer has already been moved past them); anything else is logged.
     */
    @Override
    public void handle(KafkaListenerException exception) {
        if (exception.getCause() instanceof RecordDeserializationException undecodable) {
            deadLetter(undecodable, exception.getKafkaConsumer());
            return;
        }
        exception.getConsumerRecord().ifPresentOrElse(
                record -> LOG.error("Access request {}-{}@{} failed: {}", record.topic(), record.partition(),
                        record.offset(), exception.getMessage(), exception),
                () -> LOG.error("Access-request consumer failed: {}", exception.getMessage(), exception));
    }

    private void deadLetter(RecordDeserializationException undecodable, Consumer<?, ?> consumer) {
        TopicPartition source = undecodable.topicPartition();
        DeadLetter letter = DeadLetters.undecodable(GROUP_ID, undecodable, Instant.now());
        ProducerRecord<String, SpecificRecord> record =
                new ProducerRecord<>(Topics.DEAD_LETTERS.name(), keyOf(undecodable), letter);
        try {
            publisher.publish(record, source, undecodable.offset(), consumer.groupMetadata());
            deadLetters.increment();
            LOG.warn("Dead-lettered undecodable access request {}@{}: {}", source, undecodable.offset(), letter.getReason());
        } catch (PublishFailedException e) {
            // Not recorded anywhere yet: go back so the next poll meets it (and dead-letters it) again.
            consumer.seek(source, undecodable.offset());
            LOG.error("Could not dead-letter {}@{}; it will be read again", source, undecodable.offset(), e);
        }
    }

    private static String keyOf(RecordDeserializationException undecodable) {
        ByteBuffer key = undecodable.keyBuffer();
        return key == null ? null : StandardCharsets.UTF_8.decode(key.duplicate()).toString();
    }
}
