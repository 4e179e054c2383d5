package io.jitbroker.chaos.check;

import io.jitbroker.chaos.check.TopicHistory.AccessRequested;
import io.jitbroker.chaos.check.TopicHistory.DeadLettered;
import io.jitbroker.chaos.check.TopicHistory.Decided;
import io.jitbroker.chaos.check.TopicHistory.Enforced;
import io.jitbroker.chaos.check.TopicHistory.Granted;
import io.jitbroker.chaos.check.TopicHistory.Position;
import io.jitbroker.chaos.check.TopicHistory.Revoked;
import io.jitbroker.chaos.check.TopicHistory.TaskEnded;
import io.jitbroker.chaos.check.TopicHistory.Undecodable;
import io.jitbroker.contracts.Topic;
import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.events.v1.AccessRequest;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationEnforced;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.kafka.RegistrySerdes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the raw records of {@link TopicHistory#TOPICS} with the registry's deserializer, as every
 * service does, into a {@link TopicHistory}. A value that does not decode as its topic's type is
 * kept as {@link Undecodable}, never thrown.
 */
final class HistoryDecoder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryDecoder.class);

    private final Deserializer<SpecificRecord> values;
    private final Map<String, BiConsumer<Object, ConsumerRecord<String, byte[]>>> handlers = new HashMap<>();
    private final List<AccessRequested> accessRequests = new ArrayList<>();
    private final List<Decided> decisions = new ArrayList<>();
    private final List<Granted> grants = new ArrayList<>();
    private final List<TaskEnded> taskEnds = new ArrayList<>();
    private final List<Revoked> revocations = new ArrayList<>();
    private final List<Enforced> enforcements = new ArrayList<>();
    private final List<DeadLettered> deadLetters = new ArrayList<>();
    private final List<Undecodable> undecodable = new ArrayList<>();

    HistoryDecoder(String registryUrl) {
        RegistrySerdes.trustEventsPackage();
        values = new RegistrySerdes(registryUrl).valueDeserializer();
        on(Topics.ACCESS_REQUESTS, (AccessRequest v, ConsumerRecord<String, byte[]> r) -> accessRequests.add(
                new AccessRequested(v.getRequestId(), v.getWorkloadId(), v.getTaskId(), position(r))));
        on(Topics.ACCESS_DECISIONS, (AccessDecision v, ConsumerRecord<String, byte[]> r) -> decisions.add(
                new Decided(v.getRequestId(), v.getOutcome(), position(r))));
        on(Topics.GRANTS, (GrantIssued v, ConsumerRecord<String, byte[]> r) -> grants.add(
                new Granted(v.getGrantId(), v.getRequestId(), v.getWorkloadId(), v.getTaskId(),
                        v.getExpiresAt().toEpochMilli(), position(r))));
        on(Topics.TASK_EVENTS, (TaskEvent v, ConsumerRecord<String, byte[]> r) -> {
            if (TopicHistory.TASK_ENDS.contains(v.getType())) {
                taskEnds.add(new TaskEnded(v.getTaskId(), v.getWorkloadId(), v.getType(), position(r)));
            }
        });
        on(Topics.REVOCATIONS, (Revocation v, ConsumerRecord<String, byte[]> r) -> revocations.add(
                new Revoked(v.getGrantId(), v.getRequestId(), v.getTaskId(), v.getReason(), position(r))));
        on(Topics.ENFORCEMENTS, (RevocationEnforced v, ConsumerRecord<String, byte[]> r) -> enforcements.add(
                new Enforced(v.getGrantId(), v.getBackend(), position(r))));
        on(Topics.DEAD_LETTERS, (DeadLetter v, ConsumerRecord<String, byte[]> r) -> deadLetters.add(
                new DeadLettered(r.key(), v.getSourceTopic(), v.getSourcePartition(), v.getSourceOffset(),
                        v.getConsumer(), v.getReason(), position(r))));
    }

    /** Decodes one record of a topic of {@link TopicHistory#TOPICS}. */
    void accept(ConsumerRecord<String, byte[]> record) {
        BiConsumer<Object, ConsumerRecord<String, byte[]>> handler = handlers.get(record.topic());
        if (handler == null) {
            throw new IllegalArgumentException("no decoder for topic " + record.topic());
        }
        if (record.value() == null) {
            undecodable(record, "no value (null)");
            return;
        }
        Object value;
        try {
            value = values.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            undecodable(record, e.getClass().getSimpleName() + ": " + e.getMessage());
            return;
        }
        handler.accept(value, record);
    }

    TopicHistory history() {
        return new TopicHistory(accessRequests, decisions, grants, taskEnds, revocations, enforcements, deadLetters,
                undecodable);
    }

    @Override
    public void close() {
        values.close();
    }

    private <V extends SpecificRecord> void on(Topic<V> topic, BiConsumer<V, ConsumerRecord<String, byte[]>> handler) {
        handlers.put(topic.name(), (value, record) -> {
            if (!topic.valueType().isInstance(value)) {
                undecodable(record, "value is " + (value == null ? "null" : value.getClass().getName())
                        + ", not " + topic.valueType().getSimpleName());
                return;
            }
            try {
                handler.accept(topic.valueType().cast(value), record);
            } catch (RuntimeException e) {
                undecodable(record, "decoded but unreadable: " + e);
            }
        });
    }

    private void undecodable(ConsumerRecord<String, byte[]> record, String problem) {
        LOG.warn("record {} of {} partition {} does not decode: {}", record.offset(), record.topic(), record.partition(),
                problem);
        undecodable.add(new Undecodable(position(record), problem));
    }

    private static Position position(ConsumerRecord<String, byte[]> record) {
        return new Position(record.topic(), record.partition(), record.offset(), record.timestamp());
    }
}
