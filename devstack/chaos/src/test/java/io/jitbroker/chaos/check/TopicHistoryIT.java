package io.jitbroker.chaos.check;

import static io.jitbroker.chaos.check.TopicWriter.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jitbroker.chaos.check.TopicHistory.AccessRequested;
import io.jitbroker.chaos.check.TopicHistory.DeadLettered;
import io.jitbroker.chaos.check.TopicHistory.Decided;
import io.jitbroker.chaos.check.TopicHistory.Enforced;
import io.jitbroker.chaos.check.TopicHistory.Granted;
import io.jitbroker.chaos.check.TopicHistory.Position;
import io.jitbroker.chaos.check.TopicHistory.Revoked;
import io.jitbroker.chaos.check.TopicHistory.TaskEnded;
import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.DecisionOutcome;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.TaskEventType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TopicHistory on the real embedded broker and registry: it sees exactly the committed records, decoded. */
class TopicHistoryIT {

    @RegisterExtension
    static final RealTopics INFRA = new RealTopics();

    @Test
    void shouldSeeOnlyCommittedRecordsAndTheUndecodableOneWhenReadingTheTopics() {
        // given a flow written plainly and in a committed transaction, another flow's revocation in an
        // aborted transaction, a dead letter, and a value that is not Avro at all
        TopicWriter writer = INFRA.writer();
        FlowEvents flow = FlowEvents.of("it-1", Instant.now().truncatedTo(ChronoUnit.MILLIS));
        FlowEvents aborted = FlowEvents.of("it-2", flow.at());
        RecordMetadata requested = writer.send(Topics.ACCESS_REQUESTS, flow.workloadId(), flow.accessRequest());
        RecordMetadata decided = writer.send(Topics.ACCESS_DECISIONS, flow.requestId(),
                flow.decision(DecisionOutcome.APPROVED));
        RecordMetadata granted = writer.send(Topics.GRANTS, flow.grantId(), flow.grant());
        List<RecordMetadata> committed = writer.transaction(true, List.of(
                record(Topics.TASK_EVENTS, flow.taskId(), flow.taskEvent(TaskEventType.STARTED)),
                record(Topics.TASK_EVENTS, flow.taskId(), flow.taskEvent(TaskEventType.COMPLETED)),
                record(Topics.REVOCATIONS, flow.grantId(), flow.revocation(RevocationReason.TASK_COMPLETED))));
        writer.transaction(false, List.of(
                record(Topics.REVOCATIONS, aborted.grantId(), aborted.revocation(RevocationReason.TASK_COMPLETED))));
        RecordMetadata enforced = writer.send(Topics.ENFORCEMENTS, flow.grantId(),
                flow.enforcement(RevocationReason.TASK_COMPLETED));
        RecordMetadata deadLettered = writer.send(Topics.DEAD_LETTERS, flow.taskId(),
                flow.deadLetter("not a task event"));
        RecordMetadata garbage = writer.sendRaw(Topics.GRANTS, "grant-garbage",
                "not avro at all".getBytes(StandardCharsets.UTF_8));

        // when
        TopicHistory history = TopicHistory.read(INFRA.bootstrapServers(), INFRA.registryUrl());

        // then
        assertEquals(List.of(new AccessRequested(flow.requestId(), flow.workloadId(), flow.taskId(), at(requested))),
                history.accessRequests());
        assertEquals(List.of(new Decided(flow.requestId(), DecisionOutcome.APPROVED, at(decided))), history.decisions());
        assertEquals(List.of(new Granted(flow.grantId(), flow.requestId(), flow.workloadId(), flow.taskId(),
                flow.expiresAt().toEpochMilli(), at(granted))), history.grants());
        assertEquals(List.of(new TaskEnded(flow.taskId(), flow.workloadId(), TaskEventType.COMPLETED, at(committed.get(1)))),
                history.taskEnds());
        assertEquals(List.of(new Revoked(flow.grantId(), flow.requestId(), flow.taskId(), RevocationReason.TASK_COMPLETED,
                at(committed.get(2)))), history.revocations());
        assertEquals(List.of(new Enforced(flow.grantId(), "jwt-denylist", at(enforced))), history.enforcements());
        assertEquals(List.of(new DeadLettered(flow.taskId(), Topics.TASK_EVENTS.name(), 0, 0, "revocation-service.v1",
                "not a task event", at(deadLettered))), history.deadLetters());
        assertEquals(1, history.undecodable().size(), history.undecodable().toString());
        assertEquals(at(garbage), history.undecodable().get(0).at());
        assertFalse(history.undecodable().get(0).problem().isBlank());
    }

    private static Position at(RecordMetadata written) {
        return new Position(written.topic(), written.partition(), written.offset(), written.timestamp());
    }
}
