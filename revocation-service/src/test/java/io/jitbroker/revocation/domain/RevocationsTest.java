package io.jitbroker.revocation.domain;

import static io.jitbroker.revocation.TestEvents.grant;
import static io.jitbroker.revocation.TestEvents.taskEvent;
import static io.jitbroker.revocation.TestEvents.taskRevocationRequest;
import static io.jitbroker.revocation.TestEvents.withHeartbeat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.TaskEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RevocationsTest {

    private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");
    private static final GrantIssued GRANT = grant("g-1", "t-1", T, Duration.ofMinutes(15));

    @Test
    void shouldCarryTheGrantTheReasonAndTheCauseWhenTaskEnds() {
        // when
        Revocation revocation = Revocations.forTaskEnd(GRANT, taskEvent("e-1", "t-1", TaskEventType.FAILED, T),
                RevocationReason.TASK_FAILED, false, T.plusSeconds(1));

        // then
        assertEquals("g-1", revocation.getGrantId());
        assertEquals("req-g-1", revocation.getRequestId());
        assertEquals(GRANT.getWorkloadId(), revocation.getWorkloadId());
        assertEquals("t-1", revocation.getTaskId());
        assertEquals("staging", revocation.getEnvironment());
        assertEquals("cred-g-1", revocation.getCredentialId());
        assertEquals(RevocationReason.TASK_FAILED, revocation.getReason());
        assertEquals("task t-1 reported FAILED", revocation.getDetail());
        assertEquals("e-1", revocation.getCauseEventId());
        assertEquals(GRANT.getExpiresAt(), revocation.getExpiresAt());
        assertEquals(T.plusSeconds(1), revocation.getRevokedAt());
    }

    @Test
    void shouldSayTheEndCameFirstWhenTaskEndedBeforeGrantArrived() {
        // when
        Revocation revocation = Revocations.forTaskEnd(GRANT, taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T),
                RevocationReason.TASK_COMPLETED, true, T);

        // then
        assertEquals("task t-1 reported COMPLETED before grant g-1 arrived", revocation.getDetail());
    }

    @Test
    void shouldHaveNoCauseEventWhenGrantExpires() {
        // when
        Revocation revocation = Revocations.forExpiry(GRANT, T.plus(Duration.ofMinutes(16)));

        // then
        assertEquals(RevocationReason.TTL_EXPIRED, revocation.getReason());
        assertEquals("grant g-1 expired at 2030-01-01T00:15:00Z", revocation.getDetail());
        assertNull(revocation.getCauseEventId());
        assertEquals(T.plus(Duration.ofMinutes(16)), revocation.getRevokedAt());
    }

    @Test
    void shouldNameIntervalGraceAndLastHeartbeatWhenHeartbeatIsMissed() {
        // given
        GrantIssued grant = withHeartbeat(GRANT, Duration.ofSeconds(30));

        // when
        Revocation revocation = Revocations.forMissedHeartbeat(grant, Duration.ofSeconds(5),
                Optional.of(T.plusSeconds(40)), T.plusSeconds(75));

        // then
        assertEquals(RevocationReason.HEARTBEAT_MISSED, revocation.getReason());
        assertEquals("task t-1 sent no STARTED or HEARTBEAT within the heartbeat interval of 30s (plus 5s grace); "
                + "last heartbeat at 2030-01-01T00:00:40Z", revocation.getDetail());
        assertNull(revocation.getCauseEventId());
    }

    @Test
    void shouldCarryTheCommandsReasonDetailAndCauseWhenARevokeCommandArrives() {
        // given
        RevocationRequest command = RevokeCommands.forRequest(GRANT, taskRevocationRequest("r-1", GRANT.getWorkloadId(),
                "t-1", RevocationReason.POLICY_CHANGED, T), false);

        // when
        Revocation revocation = Revocations.forCommand(GRANT, command, T.plusSeconds(1));

        // then
        assertEquals("g-1", revocation.getGrantId());
        assertEquals("cred-g-1", revocation.getCredentialId());
        assertEquals(RevocationReason.POLICY_CHANGED, revocation.getReason());
        assertEquals("POLICY_CHANGED revocation (scope TASK) requested by spiffe://dev.local/sre/alice: incident INC-7",
                revocation.getDetail());
        assertEquals("r-1", revocation.getCauseEventId());
        assertEquals(T.plusSeconds(1), revocation.getRevokedAt());
    }
}
