package io.jitbroker.revocation.domain;

import static io.jitbroker.revocation.TestEvents.WORKLOAD;
import static io.jitbroker.revocation.TestEvents.contextEvent;
import static io.jitbroker.revocation.TestEvents.grant;
import static io.jitbroker.revocation.TestEvents.grantRevocationRequest;
import static io.jitbroker.revocation.TestEvents.taskEvent;
import static io.jitbroker.revocation.TestEvents.taskRevocationRequest;
import static io.jitbroker.revocation.TestEvents.workloadRevocationRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.ContextEventType;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.events.v1.TaskEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InputValidationTest {

    private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void shouldAcceptWhenEventsAreWellFormed() {
        assertEquals(Optional.empty(), InputValidation.problemWith("g-1", grant("g-1", "t-1", T, Duration.ofMinutes(5))));
        assertEquals(Optional.empty(), InputValidation.problemWith("t-1",
                taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T)));
        assertEquals(Optional.empty(), InputValidation.problemWith(WORKLOAD,
                contextEvent("c-1", WORKLOAD, ContextEventType.RISK_RAISED, "prod", T)));
        assertEquals(Optional.empty(), InputValidation.problemWith(WORKLOAD,
                workloadRevocationRequest("r-1", WORKLOAD, RevocationReason.POLICY_CHANGED, T)));
    }

    @Test
    void shouldAcceptAGrantOrTaskEventWhoseKeyDiffersWhenTheyAreReKeyedAnyway() {
        assertEquals(Optional.empty(), InputValidation.problemWith("other", grant("g-1", "t-1", T, Duration.ofMinutes(5))));
        assertEquals(Optional.empty(), InputValidation.problemWith("other",
                taskEvent("e-1", "t-1", TaskEventType.HEARTBEAT, T)));
    }

    @Test
    void shouldNameEveryMissingIdWhenAGrantLacksThem() {
        GrantIssued grant = GrantIssued.newBuilder(grant("g-1", "t-1", T, Duration.ofMinutes(5)))
                .setWorkloadId(" ").setTaskId("").build();
        assertEquals(Optional.of("workloadId is missing; taskId is missing"), InputValidation.problemWith("g-1", grant));
    }

    @Test
    void shouldRejectAGrantWhenItsHeartbeatIntervalIsNotPositive() {
        GrantIssued grant = GrantIssued.newBuilder(grant("g-1", "t-1", T, Duration.ofMinutes(5)))
                .setHeartbeatIntervalSeconds(0L).build();
        assertEquals(Optional.of("heartbeatIntervalSeconds must be positive or null, was 0"),
                InputValidation.problemWith("g-1", grant));
    }

    @Test
    void shouldRejectATombstoneWhenAnyInputCarriesOne() {
        assertEquals(Optional.of("empty value (tombstone)"), InputValidation.problemWith("k", (TaskEvent) null));
        assertEquals(Optional.of("empty value (tombstone)"), InputValidation.problemWith("k", (ContextEvent) null));
    }

    @Test
    void shouldRejectAContextEventWhenItsEnvironmentIsBlank() {
        assertEquals(Optional.of("environment must be null (all environments) or a name, was blank"),
                InputValidation.problemWith(WORKLOAD, contextEvent("c-1", WORKLOAD, ContextEventType.RISK_RAISED, "", T)));
    }

    @Test
    void shouldRejectARequestWhenItsKeyIsNotItsWorkload() {
        assertEquals(Optional.of("key 'g-1' is not the workloadId '" + WORKLOAD + "'"), InputValidation.problemWith("g-1",
                grantRevocationRequest("r-1", WORKLOAD, "g-1", RevocationReason.MANUAL, T)));
    }

    @Test
    void shouldRejectARequestWhenItsFieldsDoNotMatchItsScope() {
        RevocationRequest grantWithoutId = RevocationRequest.newBuilder(
                grantRevocationRequest("r-1", WORKLOAD, "g-1", RevocationReason.MANUAL, T)).setGrantId(null).build();
        RevocationRequest taskWithGrant = RevocationRequest.newBuilder(
                taskRevocationRequest("r-1", WORKLOAD, "t-1", RevocationReason.MANUAL, T)).setGrantId("g-1").build();
        RevocationRequest workloadWithTask = RevocationRequest.newBuilder(
                workloadRevocationRequest("r-1", WORKLOAD, RevocationReason.MANUAL, T)).setTaskId("t-1").build();

        assertEquals(Optional.of("grantId (scope GRANT) is missing"), InputValidation.problemWith(WORKLOAD, grantWithoutId));
        assertEquals(Optional.of("grantId must not be set for scope TASK"), InputValidation.problemWith(WORKLOAD, taskWithGrant));
        assertEquals(Optional.of("taskId must not be set for scope WORKLOAD"),
                InputValidation.problemWith(WORKLOAD, workloadWithTask));
    }

    @Test
    void shouldAcceptAGrantRequestWhenItAlsoNamesTheGrantsTask() {
        // request-service adds the grant's task from its ledger
        RevocationRequest request = RevocationRequest.newBuilder(
                grantRevocationRequest("r-1", WORKLOAD, "g-1", RevocationReason.MANUAL, T)).setTaskId("t-1").build();
        assertEquals(Optional.empty(), InputValidation.problemWith(WORKLOAD, request));
    }

    @Test
    void shouldRejectAManualRequestWhenItGivesNoDetailOrRequester() {
        RevocationRequest request = RevocationRequest.newBuilder(
                        grantRevocationRequest("r-1", WORKLOAD, "g-1", RevocationReason.MANUAL, T))
                .setDetail(" ").setRequestedBy("").build();
        assertEquals(Optional.of("requestedBy is missing; detail is required for a MANUAL revocation"),
                InputValidation.problemWith(WORKLOAD, request));
    }

    @Test
    void shouldRejectARequestWhenItsReasonIsNotOneARequestMayGive() {
        RevocationRequest request = RevocationRequest.newBuilder(
                        grantRevocationRequest("r-1", WORKLOAD, "g-1", RevocationReason.MANUAL, T))
                .setReason(RevocationReason.CONTEXT_CHANGED).build();
        assertEquals(Optional.of("reason must be MANUAL or POLICY_CHANGED, was CONTEXT_CHANGED"),
                InputValidation.problemWith(WORKLOAD, request));
    }

    @Test
    void shouldRejectARevokeCommandWhenItIsNotKeyedByItsTaskOrCarriesATaskReason() {
        RevocationRequest command = RevokeCommands.forRequest(grant("g-1", "t-1", T, Duration.ofMinutes(5)),
                grantRevocationRequest("r-1", WORKLOAD, "g-1", RevocationReason.MANUAL, T), false);
        RevocationRequest taskReason = RevocationRequest.newBuilder(command).setReason(RevocationReason.TASK_COMPLETED).build();

        assertEquals(Optional.empty(), InputValidation.problemWithRevokeCommand("t-1", command));
        assertEquals(Optional.of("key 'g-1' is not the taskId 't-1'"), InputValidation.problemWithRevokeCommand("g-1", command));
        assertEquals(Optional.of("reason must be one of [CONTEXT_CHANGED, POLICY_CHANGED, MANUAL], was TASK_COMPLETED"),
                InputValidation.problemWithRevokeCommand("t-1", taskReason));
    }

    @Test
    void shouldRejectARevokeCommandWhenItDoesNotNameOneGrantAndItsTask() {
        RevocationRequest command = RevocationRequest.newBuilder(
                        workloadRevocationRequest("r-1", WORKLOAD, RevocationReason.MANUAL, T)).build();

        assertEquals(Optional.of("grantId is missing; taskId is missing; scope must be GRANT, was WORKLOAD"),
                InputValidation.problemWithRevokeCommand(null, command));
        assertEquals(Optional.of("empty value (tombstone)"), InputValidation.problemWithRevokeCommand("t-1", null));
    }
}
