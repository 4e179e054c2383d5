package io.jitbroker.request.messaging;

import io.jitbroker.events.v1.AccessRequest;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.Resource;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.events.v1.TaskEventType;
import io.jitbroker.request.domain.LedgerEntry;
import io.jitbroker.request.domain.RequestedResource;
import io.jitbroker.request.domain.TaskEventKind;
import io.jitbroker.schemas.Topics;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns what the service decided into events and publishes them synchronously. */
@Singleton
public class EventPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

    private final EventsClient client;

    public EventPublisher(EventsClient client) {
        this.client = client;
    }

    /** @throws PublishFailedException when Kafka did not acknowledge the request */
    public void publishAccessRequest(LedgerEntry entry) {
        AccessRequest event = AccessRequest.newBuilder()
                .setRequestId(entry.requestId())
                .setWorkloadId(entry.workloadId())
                .setTaskId(entry.taskId())
                .setEnvironment(entry.environment())
                .setResources(toEvent(entry.resources()))
                .setTtlSeconds(entry.ttlSeconds())
                .setJustification(entry.justification())
                .setRequestedAt(entry.requestedAt())
                .build();
        RecordMetadata sent = send(Topics.ACCESS_REQUESTS.name(), entry.requestId(), event);
        LOG.info("published access request {} of workload {} for task {} to {}-{}@{}", entry.requestId(),
                entry.workloadId(), entry.taskId(), sent.topic(), sent.partition(), sent.offset());
    }

    /** @throws PublishFailedException when Kafka did not acknowledge the event */
    public void publishTaskEvent(String eventId, String taskId, String workloadId, TaskEventKind kind, Instant occurredAt) {
        TaskEvent event = TaskEvent.newBuilder()
                .setEventId(eventId)
                .setTaskId(taskId)
                .setWorkloadId(workloadId)
                .setType(TaskEventType.valueOf(kind.name()))
                .setOccurredAt(occurredAt)
                .build();
        RecordMetadata sent = send(Topics.TASK_EVENTS.name(), taskId, event);
        LOG.info("published task event {} ({}) for task {} of workload {} to {}-{}@{}", eventId, kind, taskId,
                workloadId, sent.topic(), sent.partition(), sent.offset());
    }

    /** @throws PublishFailedException when Kafka did not acknowledge the dead letter */
    public void publishDeadLetter(String originalKey, DeadLetter letter) {
        RecordMetadata sent = send(Topics.DEAD_LETTERS.name(), originalKey, letter);
        LOG.warn("dead-lettered {}-{}@{} to {}-{}@{}: {}", letter.getSourceTopic(), letter.getSourcePartition(),
                letter.getSourceOffset(), sent.topic(), sent.partition(), sent.offset(), letter.getReason());
    }

    private RecordMetadata send(String topic, String key, SpecificRecord value) {
        try {
            return client.send(topic, key, value);
        } catch (RuntimeException e) {
            throw new PublishFailedException("could not publish " + key + " to " + topic, e);
        }
    }

    private static List<Resource> toEvent(List<RequestedResource> resources) {
        return resources.stream()
                .map(r -> Resource.newBuilder().setType(r.type()).setId(r.id()).setActions(r.actions()).build())
                .toList();
    }
}
