package io.jitbroker.revocation.topology;

import static io.jitbroker.revocation.TestEvents.contextEvent;
import static io.jitbroker.revocation.TestEvents.grant;
import static io.jitbroker.revocation.TestEvents.grantRevocationRequest;
import static io.jitbroker.revocation.TestEvents.taskEvent;
import static io.jitbroker.revocation.topology.RevocationDriver.T0;
import static io.jitbroker.revocation.topology.RevocationDriver.TTL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.revocation.metrics.RevocationMetrics;
import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.ContextEventType;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.events.v1.TaskEventType;
import io.jitbroker.contracts.Topics;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Records that decode but cannot be acted on go to the dead-letter topic, with their topic,
 * partition, offset and what is wrong, inside the exactly-once transaction; the next record is
 * processed as usual.
 */
class InvalidInputTest {

    private static final String WORKLOAD = "spiffe://dev.local/ci/deployer";

    @RegisterExtension
    final RevocationDriver revoker = new RevocationDriver();

    @Test
    void shouldDeadLetterRequestAndContinueWhenItsReasonIsNotManualOrPolicyChanged() {
        // given
        revoker.issue(grant("g-1", WORKLOAD, "t-1", T0, TTL));
        RevocationRequest wrongReason = RevocationRequest.newBuilder(
                        grantRevocationRequest("r-1", WORKLOAD, "g-1", RevocationReason.MANUAL, T0))
                .setReason(RevocationReason.TTL_EXPIRED).build();

        // when
        revoker.request(wrongReason);
        revoker.request(grantRevocationRequest("r-2", WORKLOAD, "g-1", RevocationReason.MANUAL, T0));

        // then
        DeadLetter letter = onlyDeadLetter(WORKLOAD);
        assertEquals(Topics.REVOCATION_REQUESTS.name(), letter.getSourceTopic());
        assertEquals(0, letter.getSourcePartition());
        assertEquals(0L, letter.getSourceOffset());
        assertEquals("revocation-service.v1", letter.getConsumer());
        assertEquals("invalid record: reason must be MANUAL or POLICY_CHANGED, was TTL_EXPIRED", letter.getReason());
        assertNotNull(letter.getPayload(), "the record, re-encoded, for replay");
        assertEquals(List.of("r-2"), revoker.revoked().stream().map(Revocation::getCauseEventId).toList());
        assertEquals(1.0, revoker.meters.get(RevocationMetrics.DEAD_LETTERS)
                .tag("topic", Topics.REVOCATION_REQUESTS.name()).counter().count());
    }

    @Test
    void shouldDeadLetterContextEventWhenItsKeyIsNotItsWorkload() {
        // given
        revoker.issue(grant("g-1", WORKLOAD, "t-1", T0, TTL));
        ContextEvent event = contextEvent("c-1", WORKLOAD, ContextEventType.WORKLOAD_COMPROMISED, null, T0);

        // when: keyed by its event id, so it sits on a partition that may not hold the workload's grants
        revoker.contextEvents.pipeInput("c-1", event, T0);

        // then
        DeadLetter letter = onlyDeadLetter("c-1");
        assertEquals(Topics.CONTEXT_EVENTS.name(), letter.getSourceTopic());
        assertEquals("invalid record: key 'c-1' is not the workloadId '" + WORKLOAD + "'", letter.getReason());
        assertTrue(revoker.revocations.isEmpty());
    }

    @Test
    void shouldDeadLetterGrantWhenItHasNoWorkloadId() {
        // given
        GrantIssued anonymous = GrantIssued.newBuilder(grant("g-1", WORKLOAD, "t-1", T0, TTL)).setWorkloadId("").build();

        // when
        revoker.issue(anonymous);
        revoker.issue(grant("g-2", WORKLOAD, "t-2", T0, TTL));

        // then
        DeadLetter letter = onlyDeadLetter("g-1");
        assertEquals(Topics.GRANTS.name(), letter.getSourceTopic());
        assertEquals("invalid record: workloadId is missing", letter.getReason());
        assertNull(revoker.store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-1"));
        assertNotNull(revoker.store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-2"));
    }

    @Test
    void shouldDeadLetterTaskEventWhenItIsATombstone() {
        // when
        revoker.taskEvents.pipeInput("t-1", (TaskEvent) null, T0);
        revoker.issue(grant("g-1", WORKLOAD, "t-1", T0, TTL));
        revoker.report(taskEvent("e-1", WORKLOAD, "t-1", TaskEventType.COMPLETED, T0));

        // then
        DeadLetter letter = onlyDeadLetter("t-1");
        assertEquals(Topics.TASK_EVENTS.name(), letter.getSourceTopic());
        assertEquals("invalid record: empty value (tombstone)", letter.getReason());
        assertNull(letter.getPayload());
        assertEquals(List.of(RevocationReason.TASK_COMPLETED),
                revoker.revoked().stream().map(Revocation::getReason).toList());
    }

    private DeadLetter onlyDeadLetter(String expectedKey) {
        List<KeyValue<String, DeadLetter>> letters = revoker.deadLetters.readKeyValuesToList();
        assertEquals(1, letters.size(), "one dead letter");
        assertEquals(expectedKey, letters.get(0).key, "the dead letter keeps the record's key");
        return letters.get(0).value;
    }
}
