package io.jitbroker.revocation.topology;

import static io.jitbroker.revocation.TestEvents.WORKLOAD;
import static io.jitbroker.revocation.TestEvents.grant;
import static io.jitbroker.revocation.TestEvents.taskEvent;
import static io.jitbroker.revocation.topology.RevocationDriver.RETENTION;
import static io.jitbroker.revocation.topology.RevocationDriver.SWEEP;
import static io.jitbroker.revocation.topology.RevocationDriver.T0;
import static io.jitbroker.revocation.topology.RevocationDriver.TTL;
import static io.jitbroker.revocation.topology.RevocationDriver.expected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.revocation.metrics.RevocationMetrics;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.events.v1.TaskEventType;
import io.jitbroker.streams.CompositeKey;
import io.jitbroker.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Task ends, TTL, the grant/completion race, duplicates, retention and sweep bounds. */
class RevocationTopologyTest {

    @RegisterExtension
    final RevocationDriver revoker = new RevocationDriver();

    @Test
    void shouldRevokeWithTaskCompletedWhenTaskCompletes() {
        // given
        GrantIssued grant = revoker.issue(grant("g-1", "t-1", T0, TTL));

        // when
        revoker.report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));

        // then
        assertEquals(List.of(KeyValue.pair("g-1",
                        expected(grant, RevocationReason.TASK_COMPLETED, "task t-1 reported COMPLETED", "e-1", T0))),
                revoker.revokedWithKeys());
        assertEquals(1.0, revoker.revocationCount(RevocationReason.TASK_COMPLETED));
        assertEquals(1L, revoker.meters.get(RevocationMetrics.TIME_TO_REVOKE).tag("reason", "TASK_COMPLETED").timer().count(),
                "time to revoke, from the task event's time");
        assertNull(revoker.store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-1"));
        assertTrue(revoker.isEmpty(RevocationTopology.GRANTS_BY_TASK_STORE));
        assertNotNull(revoker.store(RevocationTopology.REVOKED_GRANTS_STORE).get("g-1"));
        assertNotNull(revoker.store(RevocationTopology.WORKLOAD_GRANTS_STORE).get(CompositeKey.of(WORKLOAD, "g-1")),
                "the workload side keeps its index until expiry plus retention: it is not told of revocations");
    }

    @Test
    void shouldRevokeWhenTaskEventComesWithAKeyOtherThanItsTaskId() {
        // given
        GrantIssued grant = revoker.issue(grant("g-1", "t-1", T0, TTL));

        // when: published on another key, so on a partition that may not hold the task's grants
        revoker.taskEvents.pipeInput("not-the-task-id", taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0), T0);

        // then: re-keyed by its task id, not dropped
        assertEquals(List.of(expected(grant, RevocationReason.TASK_COMPLETED, "task t-1 reported COMPLETED", "e-1", T0)),
                revoker.revoked());
        assertTrue(revoker.deadLetters.isEmpty());
    }

    @Test
    void shouldRevokeWithTaskFailedWhenTaskFails() {
        // given
        GrantIssued grant = revoker.issue(grant("g-1", "t-1", T0, TTL));

        // when
        revoker.report(taskEvent("e-1", "t-1", TaskEventType.FAILED, T0));

        // then
        assertEquals(List.of(expected(grant, RevocationReason.TASK_FAILED, "task t-1 reported FAILED", "e-1", T0)),
                revoker.revoked());
    }

    @Test
    void shouldRevokeWithTaskCancelledWhenTaskIsCancelled() {
        // given
        GrantIssued grant = revoker.issue(grant("g-1", "t-1", T0, TTL));

        // when
        revoker.report(taskEvent("e-1", "t-1", TaskEventType.CANCELLED, T0));

        // then
        assertEquals(List.of(expected(grant, RevocationReason.TASK_CANCELLED, "task t-1 reported CANCELLED", "e-1", T0)),
                revoker.revoked());
    }

    @Test
    void shouldRevokeWithTtlExpiredWhenGrantExpires() {
        // given
        GrantIssued grant = revoker.issue(grant("g-1", "t-1", T0, TTL));
        revoker.advanceWallClock(TTL.minus(SWEEP));
        assertTrue(revoker.revocations.isEmpty(), "nothing is revoked before the grant expires");

        // when
        revoker.advanceWallClock(SWEEP);

        // then
        Instant expiresAt = T0.plus(TTL);
        assertEquals(List.of(KeyValue.pair("g-1",
                        expected(grant, RevocationReason.TTL_EXPIRED, "grant g-1 expired at " + expiresAt, null, expiresAt))),
                revoker.revokedWithKeys());
        assertEquals(1.0, revoker.revocationCount(RevocationReason.TTL_EXPIRED));
        assertEquals(1L, revoker.meters.get(RevocationMetrics.TTL_LATENESS).timer().count());
        assertEquals(0.0, revoker.meters.get(RevocationMetrics.TTL_LATENESS).timer().max(TimeUnit.MILLISECONDS));
        assertNull(revoker.store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-1"));
        assertTrue(revoker.isEmpty(RevocationTopology.EXPIRY_INDEX_STORE));
    }

    @Test
    void shouldRevokeGrantOnArrivalWhenItsTaskEndedBeforeIt() {
        // given: the completion wins the race between the two topics
        revoker.report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));
        assertTrue(revoker.revocations.isEmpty());

        // when
        GrantIssued grant = revoker.issue(grant("g-1", "t-1", T0, TTL));

        // then
        assertEquals(List.of(expected(grant, RevocationReason.TASK_COMPLETED,
                        "task t-1 reported COMPLETED before grant g-1 arrived", "e-1", T0)),
                revoker.revoked());
        assertNull(revoker.store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-1"));
        assertEquals(0.0, revoker.activeGrants());
    }

    @Test
    void shouldEmitNothingWhenGrantArrivesAgainAfterRevocation() {
        // given
        revoker.issue(grant("g-1", "t-1", T0, TTL));
        revoker.report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));
        assertEquals(1, revoker.revoked().size());

        // when
        revoker.issue(grant("g-1", "t-1", T0, TTL));
        revoker.advanceWallClock(TTL.plus(SWEEP));

        // then
        assertTrue(revoker.revocations.isEmpty());
        assertNull(revoker.store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-1"));
    }

    @Test
    void shouldEmitNothingWhenTaskEndsTwice() {
        // given
        revoker.issue(grant("g-1", "t-1", T0, TTL));
        revoker.report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));
        assertEquals(1, revoker.revoked().size());

        // when
        revoker.report(taskEvent("e-2", "t-1", TaskEventType.COMPLETED, T0));
        revoker.report(taskEvent("e-3", "t-1", TaskEventType.FAILED, T0));

        // then
        assertTrue(revoker.revocations.isEmpty());
        assertEquals("e-1", ((TaskEvent) revoker.store(RevocationTopology.ENDED_TASKS_STORE)
                .get(CompositeKey.of(WORKLOAD, "t-1"))).getEventId());
        assertEquals(0.0, revoker.unknownTargets(Topics.TASK_EVENTS.name()), "a repeated end is not an unknown task");
    }

    @Test
    void shouldEmitNothingWhenGrantExpiresAfterItsTaskCompleted() {
        // given
        revoker.issue(grant("g-1", "t-1", T0, TTL));
        revoker.report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));
        assertEquals(1, revoker.revoked().size());

        // when
        revoker.advanceWallClock(TTL.plus(SWEEP));

        // then
        assertTrue(revoker.revocations.isEmpty());
        assertEquals(0.0, revoker.revocationCount(RevocationReason.TTL_EXPIRED));
    }

    @Test
    void shouldRevokeEveryGrantOfTaskWhenTaskCompletes() {
        // given
        GrantIssued first = revoker.issue(grant("g-1", "t-1", T0, TTL));
        GrantIssued second = revoker.issue(grant("g-2", "t-1", T0, TTL));
        revoker.issue(grant("g-3", "t-2", T0, TTL));

        // when
        revoker.report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));

        // then
        assertEquals(List.of(
                        KeyValue.pair("g-1", expected(first, RevocationReason.TASK_COMPLETED, "task t-1 reported COMPLETED", "e-1", T0)),
                        KeyValue.pair("g-2", expected(second, RevocationReason.TASK_COMPLETED, "task t-1 reported COMPLETED", "e-1", T0))),
                revoker.revokedWithKeys());
        assertNotNull(revoker.store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-3"), "another task's grant stays active");
    }

    @Test
    void shouldNotRevokeAnotherWorkloadsGrantWhenItsTaskHasTheSameId() {
        // given: two workloads both name their task "build"
        revoker.issue(grant("g-1", "spiffe://dev.local/ci/a", "build", T0, TTL));
        revoker.issue(grant("g-2", "spiffe://dev.local/ci/b", "build", T0, TTL));

        // when
        revoker.report(taskEvent("e-1", "spiffe://dev.local/ci/a", "build", TaskEventType.COMPLETED, T0));

        // then
        assertEquals(List.of("g-1"), revoker.revoked().stream().map(Revocation::getGrantId).toList());
        assertNotNull(revoker.store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-2"));
    }

    @Test
    void shouldCountAndEmitNothingWhenTaskEventNamesUnknownTask() {
        // given
        revoker.issue(grant("g-1", "t-1", T0, TTL));

        // when
        revoker.report(taskEvent("e-9", "t-unknown", TaskEventType.COMPLETED, T0));

        // then
        assertTrue(revoker.revocations.isEmpty());
        assertEquals(1.0, revoker.unknownTargets(Topics.TASK_EVENTS.name()));
        assertNotNull(revoker.store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-1"));
    }

    @Test
    void shouldKeepGrantsWithoutHeartbeatWhenStartedAndHeartbeatEventsArrive() {
        // given
        revoker.issue(grant("g-1", "t-1", T0, TTL));

        // when
        revoker.report(taskEvent("e-1", "t-1", TaskEventType.STARTED, T0));
        revoker.report(taskEvent("e-2", "t-1", TaskEventType.HEARTBEAT, T0.plusSeconds(1)));
        revoker.advanceWallClock(TTL.minus(SWEEP));

        // then
        assertTrue(revoker.revocations.isEmpty());
        assertNull(revoker.store(RevocationTopology.ENDED_TASKS_STORE).get(CompositeKey.of(WORKLOAD, "t-1")));
        assertEquals(0.0, revoker.unknownTargets(Topics.TASK_EVENTS.name()));
    }

    @Test
    void shouldCountActiveGrantsWhenGrantsAreWatchedAndRevoked() {
        // given
        revoker.issue(grant("g-1", "t-1", T0, TTL));
        revoker.issue(grant("g-2", "t-2", T0, TTL));
        revoker.issue(grant("g-2", "t-2", T0, TTL));
        assertEquals(2.0, revoker.activeGrants());

        // when
        revoker.report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));

        // then
        assertEquals(1.0, revoker.activeGrants());
    }

    @Test
    void shouldDeadLetterUndecodableRecordAndContinueWhenGrantCannotBeDecoded() {
        // given: a driver at least once. Under exactly_once_v2 the driver drops a record that only the
        // deserialization handler produced: it clears its mock producer, open transaction included,
        // before anything commits it. RevocationServiceIT checks the dead letter under exactly-once
        // on the real broker.
        revoker.restartWith(StreamsConfig.AT_LEAST_ONCE, 10_000);
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);

        // when
        revoker.rawGrants.pipeInput("g-bad", garbage, T0);
        GrantIssued grant = revoker.issue(grant("g-1", "t-1", T0, TTL));
        revoker.report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));

        // then
        List<KeyValue<String, DeadLetter>> letters = revoker.deadLetters.readKeyValuesToList();
        assertEquals(1, letters.size());
        DeadLetter letter = letters.get(0).value;
        assertEquals("g-bad", letters.get(0).key);
        assertEquals(Topics.GRANTS.name(), letter.getSourceTopic());
        assertEquals(0L, letter.getSourceOffset());
        assertEquals("revocation-service.v1", letter.getConsumer());
        assertTrue(letter.getReason().contains("magic byte"), letter.getReason());
        assertEquals("not avro", StandardCharsets.UTF_8.decode(letter.getPayload()).toString());
        assertEquals(1.0, revoker.meters.get(RevocationMetrics.DEAD_LETTERS).tag("topic", Topics.GRANTS.name())
                .counter().count());
        assertEquals(List.of(expected(grant, RevocationReason.TASK_COMPLETED, "task t-1 reported COMPLETED", "e-1", T0)),
                revoker.revoked());
    }

    @Test
    void shouldRevokeGrantOnArrivalOnlyWhileTaskEndIsRetained() {
        // given
        revoker.report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));
        Instant later = T0.plus(RETENTION).plus(Duration.ofMinutes(1));

        // when: the retention sweep has run, then a grant of that task arrives
        revoker.advanceWallClockTo(later);
        revoker.issue(grant("g-1", "t-1", later, TTL));

        // then: the end is forgotten, so the grant is watched (and will expire) like any other
        assertNull(revoker.store(RevocationTopology.ENDED_TASKS_STORE).get(CompositeKey.of(WORKLOAD, "t-1")));
        assertTrue(revoker.revocations.isEmpty());
        assertNotNull(revoker.store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-1"));
    }

    @Test
    void shouldForgetRevokedGrantWhenRetentionHasPassedAfterItsExpiry() {
        // given
        revoker.issue(grant("g-1", "t-1", T0, TTL));
        revoker.report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));
        assertNotNull(revoker.store(RevocationTopology.REVOKED_GRANTS_STORE).get("g-1"));

        // when
        revoker.advanceWallClock(TTL.plus(RETENTION).plus(Duration.ofMinutes(1)));

        // then
        assertNull(revoker.store(RevocationTopology.REVOKED_GRANTS_STORE).get("g-1"));
        assertTrue(revoker.isEmpty(RevocationTopology.ENDED_TASKS_STORE));
        assertTrue(revoker.isEmpty(RevocationTopology.RETENTION_INDEX_STORE));
        assertTrue(revoker.isEmpty(RevocationTopology.WORKLOAD_GRANTS_STORE), "the workload index forgets it too");
        assertTrue(revoker.isEmpty(RevocationTopology.WORKLOAD_RETENTION_INDEX_STORE));
    }

    @Test
    void shouldEmitNothingWhenGrantReplayedAfterItsRevocationWasForgotten() {
        // given: a grant revoked, then forgotten once the retention passed
        GrantIssued grant = grant("g-1", "t-1", T0, TTL);
        revoker.issue(grant);
        revoker.report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));
        revoker.revoked();
        revoker.advanceWallClock(TTL.plus(RETENTION).plus(Duration.ofMinutes(1)));

        // when: the grant is replayed
        revoker.issue(grant);
        revoker.advanceWallClock(SWEEP);

        // then: it is stale, not revoked a second time
        assertTrue(revoker.revocations.isEmpty());
        assertNull(revoker.store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-1"));
    }

    @Test
    void shouldRevokeAtMostTheConfiguredNumberOfGrantsPerSweepWhenManyExpireAtOnce() {
        // given
        revoker.restartWith(StreamsConfig.EXACTLY_ONCE_V2, 1);
        revoker.issue(grant("g-1", "t-1", T0, TTL));
        revoker.issue(grant("g-2", "t-2", T0, TTL.plusMillis(1)));

        // when
        revoker.advanceWallClock(TTL.plus(SWEEP));

        // then: one per sweep, earliest expiry first
        assertEquals(List.of("g-1"), grantIds(revoker.revokedWithKeys()));
        revoker.advanceWallClock(SWEEP);
        assertEquals(List.of("g-2"), grantIds(revoker.revokedWithKeys()));
    }

    private static List<String> grantIds(List<KeyValue<String, Revocation>> records) {
        return records.stream().map(record -> record.key).toList();
    }
}
