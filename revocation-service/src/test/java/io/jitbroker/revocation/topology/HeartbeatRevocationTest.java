package io.jitbroker.revocation.topology;

import static io.jitbroker.revocation.TestEvents.grant;
import static io.jitbroker.revocation.TestEvents.taskEvent;
import static io.jitbroker.revocation.TestEvents.withHeartbeat;
import static io.jitbroker.revocation.topology.RevocationDriver.RETENTION;
import static io.jitbroker.revocation.topology.RevocationDriver.SWEEP;
import static io.jitbroker.revocation.topology.RevocationDriver.T0;
import static io.jitbroker.revocation.topology.RevocationDriver.TTL;
import static io.jitbroker.revocation.topology.RevocationDriver.expected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.revocation.metrics.RevocationMetrics;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.TaskEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HEARTBEAT_MISSED: a grant with a heartbeat interval is revoked when its task reports no STARTED
 * or HEARTBEAT within the interval plus the grace (5 s here), counted from the grant's issue.
 */
class HeartbeatRevocationTest {

    private static final Duration INTERVAL = Duration.ofSeconds(30);
    /** Interval plus grace: how long a grant lives after its issue or its task's last heartbeat. */
    private static final Duration ALLOWANCE = INTERVAL.plus(RevocationDriver.GRACE);

    @RegisterExtension
    final RevocationDriver revoker = new RevocationDriver();

    @Test
    void shouldRevokeWithHeartbeatMissedWhenNoHeartbeatArrivesWithinIntervalAndGrace() {
        // given
        GrantIssued grant = revoker.issue(withHeartbeat(grant("g-1", "t-1", T0, TTL), INTERVAL));
        revoker.advanceWallClockTo(T0.plus(ALLOWANCE).minus(SWEEP));
        assertTrue(revoker.revocations.isEmpty(), "nothing is revoked before the deadline");

        // when
        revoker.advanceWallClockTo(T0.plus(ALLOWANCE));

        // then
        assertEquals(List.of(expected(grant, RevocationReason.HEARTBEAT_MISSED,
                        "task t-1 sent no STARTED or HEARTBEAT within the heartbeat interval of 30s (plus 5s grace); "
                                + "no heartbeat since the grant was issued at 2030-01-01T00:00:00Z",
                        null, T0.plus(ALLOWANCE))),
                revoker.revoked());
        assertEquals(1.0, revoker.revocationCount(RevocationReason.HEARTBEAT_MISSED));
        assertEquals(1L, revoker.meters.get(RevocationMetrics.HEARTBEAT_LATENESS).timer().count());
        assertEquals(0.0, revoker.meters.get(RevocationMetrics.HEARTBEAT_LATENESS).timer().max(TimeUnit.MILLISECONDS));
        assertTrue(revoker.isEmpty(RevocationTopology.HEARTBEAT_INDEX_STORE));
        assertTrue(revoker.isEmpty(RevocationTopology.EXPIRY_INDEX_STORE));
    }

    @Test
    void shouldKeepGrantWhileHeartbeatsArriveInTimeAndRevokeWhenTheyStop() {
        // given
        GrantIssued grant = revoker.issue(withHeartbeat(grant("g-1", "t-1", T0, TTL), INTERVAL));
        revoker.issue(grant("g-2", "t-1", T0, TTL)); // same task, no heartbeat required

        // when: a STARTED then a HEARTBEAT, each within the interval of the one before
        beatAt(T0.plusSeconds(20), TaskEventType.STARTED, "e-1");
        revoker.advanceWallClockTo(T0.plus(ALLOWANCE));
        beatAt(T0.plusSeconds(50), TaskEventType.HEARTBEAT, "e-2");
        revoker.advanceWallClockTo(T0.plusSeconds(50).plus(ALLOWANCE).minus(SWEEP));

        // then: still active
        assertTrue(revoker.revocations.isEmpty(), "heartbeats in time keep the grant");

        // and when the heartbeats stop
        revoker.advanceWallClockTo(T0.plusSeconds(50).plus(ALLOWANCE));

        // then: revoked at the last heartbeat plus interval and grace; the other grant stays
        assertEquals(List.of(expected(grant, RevocationReason.HEARTBEAT_MISSED,
                        "task t-1 sent no STARTED or HEARTBEAT within the heartbeat interval of 30s (plus 5s grace); "
                                + "last heartbeat at 2030-01-01T00:00:50Z",
                        null, T0.plusSeconds(50).plus(ALLOWANCE))),
                revoker.revoked());
        assertNotNull(revoker.store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-2"));
    }

    @Test
    void shouldCountAHeartbeatThatArrivedBeforeTheGrantWhenTheTopicsRace() {
        // given: the task's STARTED arrives before its grant
        beatAt(T0.plusSeconds(10), TaskEventType.STARTED, "e-1");

        // when
        revoker.issue(withHeartbeat(grant("g-1", "t-1", T0, TTL), INTERVAL));
        revoker.advanceWallClockTo(T0.plus(ALLOWANCE));

        // then: the deadline runs from the STARTED, not from the issue
        assertTrue(revoker.revocations.isEmpty());
        revoker.advanceWallClockTo(T0.plusSeconds(10).plus(ALLOWANCE));
        assertEquals(List.of(RevocationReason.HEARTBEAT_MISSED), reasons(revoker.revoked()));
    }

    @Test
    void shouldCountAHeartbeatFromTheFutureAsOfWhenItArrivedWhenSendersClockIsAhead() {
        // given
        revoker.issue(withHeartbeat(grant("g-1", "t-1", T0, TTL), INTERVAL));
        revoker.advanceWallClockTo(T0.plusSeconds(10));

        // when: a heartbeat claims to come from an hour ahead
        revoker.report(taskEvent("e-1", "t-1", TaskEventType.HEARTBEAT, T0.plus(Duration.ofHours(1))));
        revoker.advanceWallClockTo(T0.plusSeconds(10).plus(ALLOWANCE));

        // then: it bought the interval from its arrival, no more
        assertEquals(List.of(RevocationReason.HEARTBEAT_MISSED), reasons(revoker.revoked()));
    }

    @Test
    void shouldIgnoreHeartbeatsOfAnotherWorkloadsTaskWhenTaskIdsCollide() {
        // given
        revoker.issue(withHeartbeat(grant("g-1", "spiffe://dev.local/ci/a", "build", T0, TTL), INTERVAL));

        // when: another workload's task of the same id beats
        revoker.advanceWallClockTo(T0.plusSeconds(20));
        revoker.report(taskEvent("e-1", "spiffe://dev.local/ci/b", "build", TaskEventType.HEARTBEAT, T0.plusSeconds(20)));
        revoker.advanceWallClockTo(T0.plus(ALLOWANCE));

        // then
        assertEquals(List.of(RevocationReason.HEARTBEAT_MISSED), reasons(revoker.revoked()));
    }

    @Test
    void shouldRevokeForTheEarlierDeadlineWhenHeartbeatAndTtlAreBothPastAtOneSweep() {
        // given: heartbeat due at 15 s, TTL at 20 s
        revoker.issue(withHeartbeat(grant("g-1", "t-1", T0, Duration.ofSeconds(20)), Duration.ofSeconds(10)));

        // when: the first sweep after both comes at 30 s (the revoker was stalled)
        revoker.advanceWallClockTo(T0.plusSeconds(30));

        // then
        assertEquals(List.of(RevocationReason.HEARTBEAT_MISSED), reasons(revoker.revoked()));
        assertEquals(15_000.0, revoker.meters.get(RevocationMetrics.HEARTBEAT_LATENESS).timer()
                .max(TimeUnit.MILLISECONDS));
        assertEquals(0.0, revoker.revocationCount(RevocationReason.TTL_EXPIRED));
        assertTrue(revoker.isEmpty(RevocationTopology.EXPIRY_INDEX_STORE));
    }

    @Test
    void shouldEmitNothingMoreWhenHeartbeatDeadlinePassesAfterTaskCompleted() {
        // given
        revoker.issue(withHeartbeat(grant("g-1", "t-1", T0, TTL), INTERVAL));
        revoker.report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));
        assertEquals(List.of(RevocationReason.TASK_COMPLETED), reasons(revoker.revoked()));

        // when
        revoker.advanceWallClockTo(T0.plus(ALLOWANCE).plus(SWEEP));

        // then
        assertTrue(revoker.revocations.isEmpty());
        assertTrue(revoker.isEmpty(RevocationTopology.HEARTBEAT_INDEX_STORE));
    }

    @Test
    void shouldRevokeAtItsTtlWhenHeartbeatsKeepArrivingPastIt() {
        // given: a grant of 60 s that wants a heartbeat every 30 s
        GrantIssued grant = revoker.issue(withHeartbeat(grant("g-1", "t-1", T0, Duration.ofSeconds(60)), INTERVAL));

        // when: heartbeats come in time, right up to the TTL and one claiming a later time
        beatAt(T0.plusSeconds(20), TaskEventType.STARTED, "e-1");
        beatAt(T0.plusSeconds(45), TaskEventType.HEARTBEAT, "e-2");
        revoker.report(taskEvent("e-3", "t-1", TaskEventType.HEARTBEAT, T0.plus(Duration.ofHours(1))));
        revoker.advanceWallClockTo(T0.plusSeconds(60));

        // then: heartbeats only hold off HEARTBEAT_MISSED; the TTL fixed at issue still ends the grant
        List<Revocation> revoked = revoker.revoked();
        assertEquals(List.of(RevocationReason.TTL_EXPIRED), reasons(revoked));
        assertEquals(grant.getExpiresAt(), revoked.get(0).getExpiresAt());
    }

    @Test
    void shouldForgetATasksLastHeartbeatWhenRetentionHasPassed() {
        // given
        beatAt(T0.plusSeconds(1), TaskEventType.STARTED, "e-1");
        beatAt(T0.plusSeconds(2), TaskEventType.HEARTBEAT, "e-2");
        assertFalse(revoker.isEmpty(RevocationTopology.TASK_HEARTBEATS_STORE));

        // when
        revoker.advanceWallClockTo(T0.plus(RETENTION).plus(Duration.ofMinutes(2)));

        // then
        assertTrue(revoker.isEmpty(RevocationTopology.TASK_HEARTBEATS_STORE));
        assertTrue(revoker.isEmpty(RevocationTopology.RETENTION_INDEX_STORE));
    }

    /** Moves the wall clock to {@code at} and reports a heartbeat that occurred then. */
    private void beatAt(Instant at, TaskEventType type, String eventId) {
        revoker.advanceWallClockTo(at);
        revoker.report(taskEvent(eventId, "t-1", type, at));
    }

    private static List<RevocationReason> reasons(List<Revocation> revocations) {
        return revocations.stream().map(Revocation::getReason).toList();
    }
}
