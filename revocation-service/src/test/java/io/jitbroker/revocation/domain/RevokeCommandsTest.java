package io.jitbroker.revocation.domain;

import static io.jitbroker.revocation.TestEvents.contextEvent;
import static io.jitbroker.revocation.TestEvents.grant;
import static io.jitbroker.revocation.TestEvents.taskRevocationRequest;
import static io.jitbroker.revocation.TestEvents.workloadRevocationRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jitbroker.events.v1.ContextEventType;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.RevocationScope;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RevokeCommandsTest {

    private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");
    private static final GrantIssued GRANT = grant("g-1", "t-1", T, Duration.ofMinutes(15));

    @Test
    void shouldNameTheGrantItsTaskAndItsWorkloadWhenBuiltForAContextChange() {
        // when
        RevocationRequest command = RevokeCommands.forContextChange(GRANT,
                contextEvent("c-1", GRANT.getWorkloadId(), ContextEventType.WORKLOAD_COMPROMISED, "staging", T), false);

        // then
        assertEquals(RevocationScope.GRANT, command.getScope());
        assertEquals("g-1", command.getGrantId());
        assertEquals("t-1", command.getTaskId());
        assertEquals(GRANT.getWorkloadId(), command.getWorkloadId());
        assertEquals(RevocationReason.CONTEXT_CHANGED, command.getReason());
        assertEquals("context event WORKLOAD_COMPROMISED for workload " + GRANT.getWorkloadId() + " (environment staging) "
                + "from anomaly-detector: token replay seen from an unknown network", command.getDetail());
        assertEquals("c-1", command.getEventId(), "the cause of the revocation");
        assertEquals("anomaly-detector", command.getRequestedBy());
        assertEquals(T, command.getRequestedAt());
        assertEquals(Optional.empty(), InputValidation.problemWithRevokeCommand("t-1", command));
    }

    @Test
    void shouldSayTheChangeCameFirstWhenItArrivedBeforeTheGrant() {
        // when
        RevocationRequest command = RevokeCommands.forContextChange(GRANT,
                contextEvent("c-1", GRANT.getWorkloadId(), ContextEventType.IDENTITY_DISABLED, null, T), true);

        // then
        assertEquals("context event IDENTITY_DISABLED for workload " + GRANT.getWorkloadId() + " (all environments) "
                + "from anomaly-detector: token replay seen from an unknown network; it arrived before grant g-1",
                command.getDetail());
    }

    @Test
    void shouldTakeReasonRequesterAndDetailFromTheRequestWhenBuiltForARequest() {
        // when
        RevocationRequest command = RevokeCommands.forRequest(GRANT, taskRevocationRequest("r-1", GRANT.getWorkloadId(),
                "t-1", RevocationReason.POLICY_CHANGED, T), false);

        // then
        assertEquals(RevocationScope.GRANT, command.getScope());
        assertEquals("g-1", command.getGrantId());
        assertEquals(RevocationReason.POLICY_CHANGED, command.getReason());
        assertEquals("POLICY_CHANGED revocation (scope TASK) requested by spiffe://dev.local/sre/alice: incident INC-7",
                command.getDetail());
        assertEquals("r-1", command.getEventId());
        assertEquals("spiffe://dev.local/sre/alice", command.getRequestedBy());
    }

    @Test
    void shouldSayTheRequestCameFirstWhenItArrivedBeforeTheGrant() {
        // when
        RevocationRequest command = RevokeCommands.forRequest(GRANT,
                workloadRevocationRequest("r-1", GRANT.getWorkloadId(), RevocationReason.MANUAL, T), true);

        // then
        assertEquals("MANUAL revocation (scope WORKLOAD) requested by spiffe://dev.local/sre/alice: incident INC-7; "
                + "it arrived before grant g-1", command.getDetail());
    }
}
