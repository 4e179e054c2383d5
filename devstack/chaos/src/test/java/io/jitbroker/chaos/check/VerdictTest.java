package io.jitbroker.chaos.check;

import static io.jitbroker.chaos.check.RunFixture.CHECK_AT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.chaos.check.FlowObservation.Answer;
import io.jitbroker.chaos.check.FlowObservation.Introspection;
import io.jitbroker.chaos.check.RunFixture.Flow;
import io.jitbroker.chaos.check.TopicHistory.Position;
import io.jitbroker.chaos.check.TopicHistory.Undecodable;
import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.DecisionOutcome;
import io.jitbroker.events.v1.RevocationReason;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VerdictTest {

    private RunFixture run;

    @BeforeEach
    void newRun() {
        run = new RunFixture();
    }

    @Test
    void shouldPassWhenEveryFlowRanItsCourse() {
        // given three flows that ran their course, one denied request and one flow never accepted
        run.cleanFlow(1);
        run.cleanFlow(2);
        run.cleanFlow(3);
        run.deniedFlow(4);
        run.flows.add(new FlowObservation(RunFixture.WORKLOAD, "load-run-5", null, 0, null, 0, 0, List.of()));

        // when
        CheckResult result = run.judge();

        // then
        assertTrue(result.passed(), result.toString());
        assertEquals(new CheckResult(5, 4, 0, 0, 0, 0, 0, List.of()), result);
    }

    @Test
    void shouldCountOneLostWhenAnEndedTasksGrantIsNeverRevoked() {
        // given flow 2's task completed, but its grant has no revocation and the ledger stays ISSUED
        run.cleanFlow(1);
        Flow flow = run.cleanFlow(2);
        run.revocations.removeIf(revoked -> revoked.grantId().equals(flow.grantId()));
        run.ledgerSays(flow, "ISSUED", flow.grantId(), null);

        // when
        CheckResult result = run.judge();

        // then the grant counts once, though its request is also stuck
        assertFalse(result.passed());
        assertEquals(1, result.lost());
        assertEquals(List.of("grant grant-2 of task load-run-2 (" + RunFixture.WORKLOAD + ") has no revocation though"
                + " its task ended (COMPLETED at offset 2-0)"), result.violations());
    }

    @Test
    void shouldCountLostWhenTheDriverEndedTheTaskButNoEndReachedTheTopic() {
        // given the driver's COMPLETED was accepted (202) but never reached jit.task-events.v1
        Flow flow = run.cleanFlow(1);
        run.taskEnds.clear();
        run.revocations.clear();
        run.ledgerSays(flow, "ISSUED", flow.grantId(), null);

        // when
        CheckResult result = run.judge();

        // then
        assertEquals(1, result.lost());
        assertTrue(result.violations().get(0).startsWith("grant grant-1 of task load-run-1 ("
                + RunFixture.WORKLOAD + ") has no revocation though its task ended (ended by the driver at "), result.toString());
    }

    @Test
    void shouldCountLostWhenARequestNeverLeavesPending() {
        // given request 1 was accepted, but nothing was ever decided
        Flow flow = run.deniedFlow(1);
        run.decisions.clear();
        run.ledgerSays(flow, "PENDING", null, null);

        // when
        CheckResult result = run.judge();

        // then
        assertEquals(1, result.lost());
        assertEquals(0, result.ledgerMismatches());
        assertEquals(List.of("request request-1 (task load-run-1) is still PENDING in the ledger"), result.violations());
    }

    @Test
    void shouldCountLostWhenTheLedgerDoesNotKnowAnAcceptedRequest() {
        // given
        Flow flow = run.deniedFlow(1);
        run.ledger.remove(flow.requestId());

        // when
        CheckResult result = run.judge();

        // then
        assertEquals(1, result.lost());
        assertEquals(List.of("request request-1 (task load-run-1) has no ledger entry"), result.violations());
    }

    @Test
    void shouldCountDoubledWhenAGrantIsRevokedTwice() {
        // given grant 1 revoked again, by TTL, after its task's revocation
        Flow flow = run.cleanFlow(1);
        run.revocations.add(new TopicHistory.Revoked(flow.grantId(), flow.requestId(), flow.taskId(),
                RevocationReason.TTL_EXPIRED, new Position(Topics.REVOCATIONS.name(), 0, 77, flow.revokedAt() + 900)));

        // when
        CheckResult result = run.judge();

        // then
        assertFalse(result.passed());
        assertEquals(1, result.doubled());
        assertEquals(List.of("grant grant-1 of task load-run-1 revoked 2 times (offsets 2-0 TASK_COMPLETED,"
                + " 0-77 TTL_EXPIRED)"), result.violations());
    }

    @Test
    void shouldCountDoubledWhenARequestIsDecidedTwice() {
        // given
        Flow flow = run.cleanFlow(1);
        run.decide(flow, DecisionOutcome.APPROVED, flow.acceptedAt() + 60);

        // when
        CheckResult result = run.judge();

        // then
        assertEquals(1, result.doubled());
        assertEquals(List.of("request request-1 (task load-run-1) decided 2 times (offsets 2-0 APPROVED, 2-1 APPROVED)"),
                result.violations());
    }

    @Test
    void shouldPassWhenAPendingApprovalIsFollowedByOneFinalDecision() {
        // given request 1 first waited for an approval
        Flow flow = run.cleanFlow(1);
        run.decisions.add(0, new TopicHistory.Decided(flow.requestId(), DecisionOutcome.PENDING_APPROVAL,
                new Position(Topics.ACCESS_DECISIONS.name(), 2, 9, flow.acceptedAt() + 10)));

        // when
        CheckResult result = run.judge();

        // then
        assertTrue(result.passed(), result.toString());
    }

    @Test
    void shouldCountDoubledWhenARequestIsIssuedTwoGrants() {
        // given a second grant for request 1 (itself revoked, so nothing is lost)
        Flow flow = run.cleanFlow(1);
        run.grant(flow, "grant-1b", flow.acceptedAt() + RunFixture.TTL_MILLIS, flow.acceptedAt() + 120);
        run.revocations.add(new TopicHistory.Revoked("grant-1b", flow.requestId(), flow.taskId(),
                RevocationReason.TASK_COMPLETED, new Position(Topics.REVOCATIONS.name(), 2, 5, flow.revokedAt())));

        // when
        CheckResult result = run.judge();

        // then
        assertEquals(1, result.doubled());
        assertEquals(List.of("request request-1 (task load-run-1) was issued 2 grants (grant-1 at offset 2-0,"
                + " grant-1b at offset 2-1)"), result.violations());
    }

    @Test
    void shouldPassWhenTheSameGrantIsAnnouncedAgain() {
        // given issuer-service re-announced grant 1 after a redelivered decision
        Flow flow = run.cleanFlow(1);
        run.grant(flow, flow.grantId(), flow.acceptedAt() + RunFixture.TTL_MILLIS, flow.acceptedAt() + 120);

        // when
        CheckResult result = run.judge();

        // then
        assertTrue(result.passed(), result.toString());
    }

    @Test
    void shouldCountLostWhenAGrantExpiredLongBeforeTheCheckWithoutRevocation() {
        // given grant 1's task never ended, and it expired 31 s before the check with no revocation
        run.issuedFlow(1, CHECK_AT - 31_000);

        // when
        CheckResult result = run.judge();

        // then
        assertEquals(1, result.lost());
        assertEquals(List.of("grant grant-1 of task load-run-1 expired at 2027-01-15T08:01:29Z and has no revocation"),
                result.violations());
    }

    @Test
    void shouldPassWhenAGrantExpiredWithinTheGraceOrIsStillLive() {
        // given grant 1 expired 29 s before the check and grant 2 has not expired; neither task ended
        run.issuedFlow(1, CHECK_AT - 29_000);
        run.issuedFlow(2, CHECK_AT + 60_000);

        // when
        CheckResult result = run.judge();

        // then
        assertTrue(result.passed(), result.toString());
    }

    @Test
    void shouldReportStaleActiveWhenIntrospectionAnsweredActiveAfterTheRevocation() {
        // given flow 1's credential answered active 7 s after its revocation record
        Flow flow = run.cleanFlow(1);
        run.introspected(flow, List.of(new Introspection(flow.revokedAt() + 7_000, flow.revokedAt() + 7_010, Answer.ACTIVE)));

        // when
        CheckResult result = run.judge();

        // then
        assertFalse(result.passed());
        assertEquals(7_000, result.staleActiveMaxMs());
        assertEquals(List.of("the credential of grant grant-1 (task load-run-1) answered active 7000 ms after its"
                + " revocation (TASK_COMPLETED at offset 2-0)"), result.violations());
    }

    @Test
    void shouldPassWhenTheCredentialWasActiveOnlyBeforeItsRevocation() {
        // given flow 1's credential was active until 1 ms before its revocation record, then inactive
        Flow flow = run.cleanFlow(1);
        run.introspected(flow, List.of(
                new Introspection(flow.revokedAt() - 1, flow.revokedAt() + 30, Answer.ACTIVE),
                new Introspection(flow.revokedAt() + 40, flow.revokedAt() + 45, Answer.INACTIVE)));

        // when
        CheckResult result = run.judge();

        // then
        assertTrue(result.passed(), result.toString());
        assertEquals(0, result.staleActiveMaxMs());
    }

    @Test
    void shouldMeasureStaleActiveFromWhenTheRevocationCouldBeReadWhenItsTransactionCommittedLate() {
        // given flow 1's revocation record committed (was readable) 10 s after it was stamped, during a
        // broker failover, and its credential answered active 2 s after that
        Flow flow = run.cleanFlow(1);
        run.revocationReadAt(flow, flow.revokedAt() + 10_000,
                List.of(new Introspection(flow.revokedAt() + 12_000, flow.revokedAt() + 12_010, Answer.ACTIVE)));

        // when
        CheckResult result = run.judge();

        // then
        assertEquals(2_000, result.staleActiveMaxMs());
        assertTrue(result.passed(), result.toString());
    }

    @Test
    void shouldMeasureButPassWhenStaleActiveIsWithinTheLimit() {
        // given flow 1's credential answered active 800 ms after its revocation record (enforcement lag)
        Flow flow = run.cleanFlow(1);
        run.introspected(flow, List.of(new Introspection(flow.revokedAt() + 800, flow.revokedAt() + 810, Answer.ACTIVE)));

        // when
        CheckResult result = run.judge();

        // then
        assertTrue(result.passed(), result.toString());
        assertEquals(800, result.staleActiveMaxMs());
    }

    @Test
    void shouldCountAnUnexpectedDeadLetterWhenTheRunInjectedNone() {
        // given
        run.cleanFlow(1);
        run.deadLetter("load-run-9");

        // when
        CheckResult result = run.judge();

        // then
        assertFalse(result.passed());
        assertEquals(1, result.unexpectedDeadLetters());
        assertEquals(List.of("dead letter at offset 0-0 (key load-run-9): revocation-service.v1 rejected"
                + " " + Topics.TASK_EVENTS.name() + " partition 1 offset 42: undecodable value"), result.violations());
    }

    @Test
    void shouldPassWhenTheOnlyDeadLetterWasInjected() {
        // given
        run.cleanFlow(1);
        run.deadLetter("load-run-9");
        run.injectedDeadLetterKeys.add("load-run-9");

        // when
        CheckResult result = run.judge();

        // then
        assertTrue(result.passed(), result.toString());
    }

    @Test
    void shouldCountAnUnexpectedDeadLetterWhenARecordDoesNotDecode() {
        // given
        run.cleanFlow(1);
        run.undecodable.add(new Undecodable(new Position(Topics.GRANTS.name(), 1, 12, RunFixture.START),
                "SerializationException: Unknown magic byte!"));

        // when
        CheckResult result = run.judge();

        // then
        assertEquals(1, result.unexpectedDeadLetters());
        assertEquals(List.of("undecodable record on " + Topics.GRANTS.name() + " partition 1 offset 12:"
                + " SerializationException: Unknown magic byte!"), result.violations());
    }

    @Test
    void shouldCountALedgerMismatchWhenTheRevocationReasonDiffers() {
        // given
        Flow flow = run.cleanFlow(1);
        run.ledgerSays(flow, "REVOKED", flow.grantId(), "MANUAL");

        // when
        CheckResult result = run.judge();

        // then
        assertEquals(1, result.ledgerMismatches());
        assertEquals(List.of("request request-1 (task load-run-1): the ledger's revocation reason is MANUAL, the topics'"
                + " TASK_COMPLETED (offset 2-0)"), result.violations());
    }

    @Test
    void shouldCountALedgerMismatchWhenTheLedgerNamesAnotherGrant() {
        // given
        Flow flow = run.cleanFlow(1);
        run.ledgerSays(flow, "REVOKED", "grant-x", "TASK_COMPLETED");

        // when
        CheckResult result = run.judge();

        // then
        assertEquals(1, result.ledgerMismatches());
        assertEquals(List.of("request request-1 (task load-run-1): the ledger names grant grant-x, the topics grant-1;"
                + " the driver was given grant grant-1, the ledger names grant-x;"
                + " the ledger says REVOKED but grant grant-x has no revocation on the topics"), result.violations());
    }

    @Test
    void shouldCountALedgerMismatchWhenTheLedgerDeniedWhatTheTopicsApproved() {
        // given
        Flow flow = run.deniedFlow(1);
        run.decisions.clear();
        run.decide(flow, DecisionOutcome.APPROVED, flow.acceptedAt() + 50);

        // when
        CheckResult result = run.judge();

        // then
        assertEquals(1, result.ledgerMismatches());
        assertEquals(List.of("request request-1 (task load-run-1): the ledger says DENIED but the decision at offset 2-1"
                + " is APPROVED"), result.violations());
    }

    @Test
    void shouldCountALedgerMismatchWhenTheLedgerMissedAnOldGrant() {
        // given grant 1 was issued long before the check, and the ledger still says APPROVED without it
        Flow flow = run.issuedFlow(1, CHECK_AT + 60_000);
        run.ledgerSays(flow, "APPROVED", null, null);

        // when
        CheckResult result = run.judge();

        // then the request is also lost: it never reached a terminal status
        assertEquals(1, result.lost());
        assertEquals(1, result.ledgerMismatches());
        assertEquals(List.of("request request-1 (task load-run-1) is still APPROVED in the ledger",
                "request request-1 (task load-run-1): the ledger names no grant, the topics issued grant-1 at offset 2-0"),
                result.violations());
    }

    @Test
    void shouldCountALedgerMismatchWhenTheLedgerMissedAnOldRevocation() {
        // given grant 1 expired, was revoked by TTL 10 s before the check, and the ledger still says ISSUED
        Flow flow = run.issuedFlow(1, CHECK_AT - 11_000);
        run.revoke(flow, RevocationReason.TTL_EXPIRED, CHECK_AT - 10_000);
        run.ledgerSays(flow, "ISSUED", flow.grantId(), null);

        // when
        CheckResult result = run.judge();

        // then
        assertEquals(0, result.lost());
        assertEquals(1, result.ledgerMismatches());
        assertEquals(List.of("request request-1 (task load-run-1): the ledger says ISSUED but grant grant-1 was revoked"
                + " at offset 2-0"), result.violations());
    }

    @Test
    void shouldPassWhenTheLedgerTrailsARevocationWithinTheAllowance() {
        // given grant 1 was revoked by TTL 2 s before the check, and the ledger does not show it yet
        Flow flow = run.issuedFlow(1, CHECK_AT - 3_000);
        run.revoke(flow, RevocationReason.TTL_EXPIRED, CHECK_AT - 2_000);
        run.ledgerSays(flow, "ISSUED", flow.grantId(), null);

        // when
        CheckResult result = run.judge();

        // then
        assertTrue(result.passed(), result.toString());
    }

    @Test
    void shouldKeepTheCountsWholeWhenViolationLinesAreCapped() {
        // given 60 accepted requests the ledger does not know
        for (int n = 1; n <= 60; n++) {
            run.ledger.remove(run.deniedFlow(n).requestId());
        }

        // when
        CheckResult result = run.judge();

        // then
        assertEquals(60, result.lost());
        assertEquals(ViolationLines.CAP, result.violations().size());
        assertEquals("... and 11 more violations", result.violations().get(ViolationLines.CAP - 1));
    }
}
