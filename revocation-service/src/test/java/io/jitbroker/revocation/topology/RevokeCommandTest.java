package io.jitbroker.revocation.topology;

import static io.jitbroker.revocation.TestEvents.WORKLOAD;
import static io.jitbroker.revocation.TestEvents.contextEvent;
import static io.jitbroker.revocation.TestEvents.grant;
import static io.jitbroker.revocation.TestEvents.grantRevocationRequest;
import static io.jitbroker.revocation.TestEvents.taskEvent;
import static io.jitbroker.revocation.topology.RevocationDriver.RETENTION;
import static io.jitbroker.revocation.topology.RevocationDriver.T0;
import static io.jitbroker.revocation.topology.RevocationDriver.TTL;
import static io.jitbroker.revocation.topology.RevocationDriver.expected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.events.v1.ContextEventType;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.TaskEventType;
import io.jitbroker.revocation.domain.RevokeCommands;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The task side's handling of revoke commands, sent straight to its internal topic: the workload
 * side's commands and the grants reach it through different repartition topics, so either may
 * come first, and a command is applied exactly like any other reason.
 */
class RevokeCommandTest {

    private static final String OTHER_WORKLOAD = "spiffe://dev.local/ci/tester";

    @RegisterExtension
    final RevocationDriver revoker = new RevocationDriver();

    @Test
    void shouldRevokeWithTheCommandsReasonDetailAndCauseWhenItNamesAnActiveGrant() {
        // given
        GrantIssued grant = revoker.issue(grant("g-1", "t-1", T0, TTL));
        RevocationRequest command = RevokeCommands.forContextChange(grant,
                contextEvent("c-1", WORKLOAD, ContextEventType.WORKLOAD_COMPROMISED, null, T0), false);

        // when
        revoker.command(command);

        // then
        assertEquals(List.of(KeyValue.pair("g-1", expected(grant, RevocationReason.CONTEXT_CHANGED, command.getDetail(),
                        "c-1", T0))),
                revoker.revokedWithKeys());
        assertNull(revoker.store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-1"));
    }

    @Test
    void shouldRevokeGrantOnArrivalWhenItsCommandCameFirst() {
        // given: the command overtook the grant
        GrantIssued grant = grant("g-1", "t-1", T0, TTL);
        RevocationRequest command = RevokeCommands.forRequest(grant,
                grantRevocationRequest("r-1", WORKLOAD, "g-1", RevocationReason.MANUAL, T0), false);
        revoker.command(command);
        assertTrue(revoker.revocations.isEmpty());
        assertNotNull(revoker.store(RevocationTopology.EARLY_REVOKE_COMMANDS_STORE).get("g-1"));

        // when: the grant arrives on the task side only (the workload side has seen it already)
        revoker.issue(grant);

        // then
        assertEquals(List.of(expected(grant, RevocationReason.MANUAL, command.getDetail(), "r-1", T0)),
                revoker.revoked());
        assertEquals(0.0, revoker.activeGrants());
    }

    @Test
    void shouldKeepTheFirstCommandWhenTwoCameBeforeTheGrant() {
        // given
        GrantIssued grant = grant("g-1", "t-1", T0, TTL);
        revoker.command(RevokeCommands.forRequest(grant,
                grantRevocationRequest("r-1", WORKLOAD, "g-1", RevocationReason.POLICY_CHANGED, T0), false));
        revoker.command(RevokeCommands.forRequest(grant,
                grantRevocationRequest("r-2", WORKLOAD, "g-1", RevocationReason.MANUAL, T0), false));

        // when
        revoker.issue(grant);

        // then
        assertEquals(List.of("r-1"), revoker.revoked().stream().map(Revocation::getCauseEventId).toList());
    }

    @Test
    void shouldEmitNothingWhenCommandNamesAnAlreadyRevokedGrant() {
        // given
        GrantIssued grant = revoker.issue(grant("g-1", "t-1", T0, TTL));
        revoker.report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));
        assertEquals(1, revoker.revoked().size());

        // when
        revoker.command(RevokeCommands.forRequest(grant,
                grantRevocationRequest("r-1", WORKLOAD, "g-1", RevocationReason.MANUAL, T0), false));

        // then
        assertTrue(revoker.revocations.isEmpty());
        assertNull(revoker.store(RevocationTopology.EARLY_REVOKE_COMMANDS_STORE).get("g-1"));
    }

    @Test
    void shouldRevokeForTheTaskEndWhenTheTaskEndedAndACommandCameBeforeTheGrant() {
        // given: both a task end and a command wait for the grant
        GrantIssued grant = grant("g-1", "t-1", T0, TTL);
        revoker.report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));
        revoker.command(RevokeCommands.forRequest(grant,
                grantRevocationRequest("r-1", WORKLOAD, "g-1", RevocationReason.MANUAL, T0), false));

        // when
        revoker.issue(grant);

        // then: exactly one revocation, for the task's end, as before the sides were split
        assertEquals(List.of(RevocationReason.TASK_COMPLETED),
                revoker.revoked().stream().map(Revocation::getReason).toList());
    }

    @Test
    void shouldNotRevokeWhenCommandNamesTheGrantUnderAnotherWorkload() {
        // given
        revoker.issue(grant("g-1", OTHER_WORKLOAD, "t-1", T0, TTL));
        RevocationRequest command = RevokeCommands.forRequest(grant("g-1", WORKLOAD, "t-1", T0, TTL),
                grantRevocationRequest("r-1", WORKLOAD, "g-1", RevocationReason.MANUAL, T0), false);

        // when
        revoker.command(command);

        // then
        assertTrue(revoker.revocations.isEmpty());
        assertNotNull(revoker.store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-1"));
    }

    @Test
    void shouldForgetAnEarlyCommandWhenRetentionHasPassed() {
        // given
        GrantIssued grant = grant("g-1", "t-1", T0, TTL);
        revoker.command(RevokeCommands.forRequest(grant,
                grantRevocationRequest("r-1", WORKLOAD, "g-1", RevocationReason.MANUAL, T0), false));

        // when
        revoker.advanceWallClock(RETENTION.plus(Duration.ofMinutes(1)));

        // then
        assertTrue(revoker.isEmpty(RevocationTopology.EARLY_REVOKE_COMMANDS_STORE));
        assertTrue(revoker.isEmpty(RevocationTopology.RETENTION_INDEX_STORE));
    }

    @Test
    void shouldDeadLetterCommandAndContinueWhenItIsNotKeyedByItsTask() {
        // given
        GrantIssued grant = revoker.issue(grant("g-1", "t-1", T0, TTL));
        RevocationRequest command = RevokeCommands.forRequest(grant,
                grantRevocationRequest("r-1", WORKLOAD, "g-1", RevocationReason.MANUAL, T0), false);

        // when
        revoker.revokeCommands.pipeInput("g-1", command, T0);
        revoker.command(command);

        // then
        List<KeyValue<String, DeadLetter>> letters = revoker.deadLetters.readKeyValuesToList();
        assertEquals(1, letters.size());
        assertEquals("invalid record: key 'g-1' is not the taskId 't-1'", letters.get(0).value.getReason());
        assertTrue(letters.get(0).value.getSourceTopic().endsWith("revoke-commands-by-task-repartition"),
                letters.get(0).value.getSourceTopic());
        assertEquals(List.of("g-1"), revoker.revoked().stream().map(Revocation::getGrantId).toList());
    }
}
