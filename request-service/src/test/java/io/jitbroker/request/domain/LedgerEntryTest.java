package io.jitbroker.request.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerEntryTest {

    private static final String REQUEST = "req-1";
    private static final String WORKLOAD = "spiffe://dev.local/ci/deployer";
    private static final Instant REQUESTED = Instant.parse("2026-01-01T10:00:00Z");
    private static final RequestedResource DB = new RequestedResource("postgres", "orders-db", List.of("read"));
    private static final String SRE = "spiffe://dev.local/sre/alice";
    private static final Instant DEADLINE = REQUESTED.plusSeconds(900);

    private final LedgerEntry pending = LedgerEntry.pending(REQUEST, WORKLOAD,
            new ValidAccessRequest("task-1", "prod", List.of(DB), 900, 30L, "migration", false, null), null, REQUESTED);

    private static LedgerEvent.Decided decided(DecisionOutcome outcome, String reason, Instant at) {
        return new LedgerEvent.Decided(REQUEST, WORKLOAD, outcome, List.of(reason), "policy-7",
                outcome == DecisionOutcome.APPROVED ? List.of(DB) : List.of(),
                outcome == DecisionOutcome.APPROVED ? 600 : 0, at,
                outcome == DecisionOutcome.DENIED ? "NO_MATCHING_RULE" : null, false,
                outcome == DecisionOutcome.PENDING_APPROVAL ? DEADLINE : null, null, null);
    }

    /** The final decision policy-service makes of an SRE's approval. */
    private static LedgerEvent.Decided decidedBySre(boolean approved, Instant at) {
        return new LedgerEvent.Decided(REQUEST, WORKLOAD, approved ? DecisionOutcome.APPROVED : DecisionOutcome.DENIED,
                List.of(approved ? "approved by " + SRE : "denied by " + SRE), "policy-7",
                approved ? List.of(DB) : List.of(), approved ? 600 : 0, at,
                approved ? null : "APPROVAL_DENIED", false, null, SRE, approved ? "INC-7 hotfix, checked" : "not now");
    }

    /** Policy asked an SRE to decide, by DEADLINE. */
    private LedgerEntry waitingForApproval() {
        return pending.apply(decided(DecisionOutcome.PENDING_APPROVAL, "prod writes need an SRE", REQUESTED.plusSeconds(1)));
    }

    private static LedgerEvent.Issued issued(String grantId, Instant at) {
        return new LedgerEvent.Issued(REQUEST, WORKLOAD, grantId, at, at.plusSeconds(600));
    }

    private static LedgerEvent.Revoked revoked(String reason, Instant at) {
        return new LedgerEvent.Revoked(REQUEST, WORKLOAD, "grant-1", reason, "task completed", "task-event-7",
                at.plusSeconds(600), at);
    }

    private static LedgerEvent.Enforced enforced(String grantId, Instant at) {
        return new LedgerEvent.Enforced(REQUEST, WORKLOAD, grantId, "jwt-denylist", at);
    }

    @Test
    void shouldBeDeniedWithReasonsWhenPolicyDenies() {
        // when
        LedgerEntry entry = pending.apply(decided(DecisionOutcome.DENIED, "no rule allows prod writes", REQUESTED.plusSeconds(1)));

        // then
        assertEquals(LedgerStatus.DENIED, entry.status());
        assertEquals(DecisionOutcome.DENIED, entry.decision());
        assertEquals(List.of("no rule allows prod writes"), entry.decisionReasons());
        assertEquals("NO_MATCHING_RULE", entry.denyCode());
        assertEquals("policy-7", entry.policyVersion());
        assertEquals(REQUESTED.plusSeconds(1), entry.decidedAt());
    }

    @Test
    void shouldBeApprovedAndRecordTheDecisionWhenPolicyApproves() {
        // when
        LedgerEntry entry = pending.apply(decided(DecisionOutcome.APPROVED, "rule deploy-prod", REQUESTED.plusSeconds(1)));

        // then
        assertEquals(LedgerStatus.APPROVED, entry.status());
        assertEquals(DecisionOutcome.APPROVED, entry.decision());
        assertEquals(List.of(DB), entry.grantedResources());
        assertEquals(600L, entry.grantedTtlSeconds());
        assertEquals(REQUESTED.plusSeconds(1), entry.decidedAt());
    }

    @Test
    void shouldGoThroughIssuedToRevokedWhenEventsArriveInOrder() {
        // when
        LedgerEntry approved = pending.apply(decided(DecisionOutcome.APPROVED, "rule deploy-prod", REQUESTED.plusSeconds(1)));
        LedgerEntry issued = approved.apply(issued("grant-1", REQUESTED.plusSeconds(2)));
        LedgerEntry revoked = issued.apply(revoked("TASK_COMPLETED", REQUESTED.plusSeconds(3)));

        // then
        assertEquals(LedgerStatus.ISSUED, issued.status());
        assertEquals("grant-1", issued.grantId());
        assertEquals(REQUESTED.plusSeconds(2), issued.issuedAt());
        assertEquals(REQUESTED.plusSeconds(602), issued.expiresAt());
        assertEquals(LedgerStatus.REVOKED, revoked.status());
        assertEquals("TASK_COMPLETED", revoked.revocationReason());
        assertEquals("task completed", revoked.revocationDetail());
        assertEquals("task-event-7", revoked.causeEventId());
        assertEquals(REQUESTED.plusSeconds(3), revoked.revokedAt());
    }

    @Test
    void shouldRecordWhereAndWhenWhenTheRevocationIsEnforced() {
        // given
        LedgerEntry revoked = pending.apply(issued("grant-1", REQUESTED.plusSeconds(2)))
                .apply(revoked("TASK_COMPLETED", REQUESTED.plusSeconds(3)));

        // when
        LedgerEntry entry = revoked.apply(enforced("grant-1", REQUESTED.plusSeconds(4)));

        // then
        assertEquals(LedgerStatus.REVOKED, entry.status());
        assertEquals("jwt-denylist", entry.enforcementBackend());
        assertEquals(REQUESTED.plusSeconds(4), entry.enforcedAt());
        assertEquals(REQUESTED.plusSeconds(3), entry.revokedAt());
    }

    @Test
    void shouldRecordTheEnforcementAndKeepTheStatusWhenItArrivesBeforeTheRevocation() {
        // given
        LedgerEntry issued = pending.apply(issued("grant-1", REQUESTED.plusSeconds(2)));

        // when
        LedgerEntry enforced = issued.apply(enforced("grant-1", REQUESTED.plusSeconds(4)));
        LedgerEntry revoked = enforced.apply(revoked("TASK_COMPLETED", REQUESTED.plusSeconds(3)));

        // then
        assertEquals(LedgerStatus.ISSUED, enforced.status());
        assertEquals(REQUESTED.plusSeconds(4), enforced.enforcedAt());
        assertEquals(LedgerStatus.REVOKED, revoked.status());
        assertEquals("TASK_COMPLETED", revoked.revocationReason());
        assertEquals("jwt-denylist", revoked.enforcementBackend());
        assertEquals(REQUESTED.plusSeconds(4), revoked.enforcedAt());
    }

    @Test
    void shouldRecordTheGrantWhenAnEnforcementArrivesFirstOfAll() {
        // when
        LedgerEntry entry = pending.apply(enforced("grant-1", REQUESTED.plusSeconds(4)));

        // then
        assertEquals(LedgerStatus.PENDING, entry.status());
        assertEquals("grant-1", entry.grantId());
        assertEquals(REQUESTED.plusSeconds(4), entry.enforcedAt());
    }

    @Test
    void shouldKeepTheFirstEnforcementWhenAnotherArrives() {
        // given
        LedgerEntry enforced = pending.apply(issued("grant-1", REQUESTED.plusSeconds(2)))
                .apply(enforced("grant-1", REQUESTED.plusSeconds(4)));

        // when
        LedgerEntry entry = enforced.apply(new LedgerEvent.Enforced(REQUEST, WORKLOAD, "grant-1", "postgres:orders-db",
                REQUESTED.plusSeconds(5)));

        // then
        assertSame(enforced, entry);
        assertEquals("jwt-denylist", entry.enforcementBackend());
    }

    @Test
    void shouldRefuseWhenTheEnforcementNamesAnotherGrant() {
        // given
        LedgerEntry issued = pending.apply(issued("grant-1", REQUESTED.plusSeconds(2)));

        // when
        InconsistentEventException error = assertThrows(InconsistentEventException.class,
                () -> issued.apply(enforced("grant-2", REQUESTED.plusSeconds(4))));

        // then
        assertEquals("enforcement of grant grant-2 names request req-1 whose grant is grant-1", error.getMessage());
    }

    @Test
    void shouldStayIssuedAndRecordTheDecisionWhenTheGrantArrivesBeforeItsDecision() {
        // given
        LedgerEntry issued = pending.apply(issued("grant-1", REQUESTED.plusSeconds(2)));

        // when
        LedgerEntry entry = issued.apply(decided(DecisionOutcome.APPROVED, "rule deploy-prod", REQUESTED.plusSeconds(1)));

        // then
        assertEquals(LedgerStatus.ISSUED, entry.status());
        assertEquals(DecisionOutcome.APPROVED, entry.decision());
        assertEquals(REQUESTED.plusSeconds(1), entry.decidedAt());
        assertEquals("grant-1", entry.grantId());
    }

    @Test
    void shouldStayRevokedWhenTheGrantAndDecisionArriveAfterTheRevocation() {
        // given
        LedgerEntry revoked = pending.apply(revoked("TTL_EXPIRED", REQUESTED.plusSeconds(3)));

        // when
        LedgerEntry entry = revoked
                .apply(issued("grant-1", REQUESTED.plusSeconds(2)))
                .apply(decided(DecisionOutcome.APPROVED, "rule deploy-prod", REQUESTED.plusSeconds(1)));

        // then
        assertEquals(LedgerStatus.REVOKED, entry.status());
        assertEquals("grant-1", entry.grantId());
        assertEquals(REQUESTED.plusSeconds(2), entry.issuedAt());
        assertEquals(REQUESTED.plusSeconds(3), entry.revokedAt());
        assertEquals("TTL_EXPIRED", entry.revocationReason());
        assertEquals(REQUESTED.plusSeconds(1), entry.decidedAt());
    }

    @Test
    void shouldNotMoveBackToPendingWhenAnApprovalArrivesAfterADenial() {
        // given
        LedgerEntry denied = pending.apply(decided(DecisionOutcome.DENIED, "outside change window", REQUESTED.plusSeconds(1)));

        // when
        LedgerEntry entry = denied.apply(decided(DecisionOutcome.APPROVED, "rule deploy-prod", REQUESTED.plusSeconds(2)));

        // then
        assertSame(denied, entry);
        assertEquals(LedgerStatus.DENIED, entry.status());
        assertEquals(List.of("outside change window"), entry.decisionReasons());
    }

    @Test
    void shouldChangeNothingWhenAnEventIsRedelivered() {
        // given
        LedgerEvent.Decided decision = decided(DecisionOutcome.APPROVED, "rule deploy-prod", REQUESTED.plusSeconds(1));
        LedgerEvent.Issued grant = issued("grant-1", REQUESTED.plusSeconds(2));
        LedgerEvent.Revoked revocation = revoked("TASK_COMPLETED", REQUESTED.plusSeconds(3));
        LedgerEvent.Enforced enforcement = enforced("grant-1", REQUESTED.plusSeconds(4));
        LedgerEntry once = pending.apply(decision).apply(grant).apply(revocation).apply(enforcement);

        // when
        LedgerEntry twice = once.apply(decision).apply(grant).apply(revocation).apply(enforcement);

        // then
        assertEquals(once, twice);
    }

    @Test
    void shouldKeepTheFirstGrantWhenASecondGrantArrives() {
        // given
        LedgerEntry issued = pending.apply(issued("grant-1", REQUESTED.plusSeconds(2)));

        // when
        LedgerEntry entry = issued.apply(issued("grant-2", REQUESTED.plusSeconds(5)));

        // then
        assertEquals("grant-1", entry.grantId());
        assertEquals(REQUESTED.plusSeconds(2), entry.issuedAt());
    }

    @Test
    void shouldRefuseWhenTheEventNamesAnotherWorkload() {
        // given
        LedgerEvent.Issued foreign = new LedgerEvent.Issued(REQUEST, "spiffe://dev.local/intruder", "grant-9",
                REQUESTED, REQUESTED.plusSeconds(60));

        // when
        InconsistentEventException error = assertThrows(InconsistentEventException.class, () -> pending.apply(foreign));

        // then
        assertEquals("event for request req-1 names workload spiffe://dev.local/intruder but the request was made by "
                + WORKLOAD, error.getMessage());
    }

    // ---- waiting for approval ----

    @Test
    void shouldWaitForApprovalWithItsDeadlineWhenPolicyAsksForOne() {
        // when
        LedgerEntry entry = waitingForApproval();

        // then
        assertEquals(LedgerStatus.PENDING_APPROVAL, entry.status());
        assertEquals(DecisionOutcome.PENDING_APPROVAL, entry.decision());
        assertEquals(List.of("prod writes need an SRE"), entry.decisionReasons());
        assertEquals(DEADLINE, entry.approvalDeadline());
        assertNull(entry.approvedBy());
    }

    @Test
    void shouldBeApprovedByTheSreKeepingTheDeadlineWhenTheApprovalDecisionFollows() {
        // given
        LedgerEntry waiting = waitingForApproval();

        // when
        LedgerEntry entry = waiting.apply(decidedBySre(true, REQUESTED.plusSeconds(60)));

        // then
        assertEquals(LedgerStatus.APPROVED, entry.status());
        assertEquals(DecisionOutcome.APPROVED, entry.decision());
        assertEquals(SRE, entry.approvedBy());
        assertEquals("INC-7 hotfix, checked", entry.approvalReason());
        assertEquals(List.of("approved by " + SRE), entry.decisionReasons());
        assertEquals(List.of(DB), entry.grantedResources());
        assertEquals(REQUESTED.plusSeconds(60), entry.decidedAt());
        assertEquals(DEADLINE, entry.approvalDeadline());
    }

    @Test
    void shouldBeDeniedWithTheCodeWhenTheSreDenies() {
        // given
        LedgerEntry waiting = waitingForApproval();

        // when
        LedgerEntry entry = waiting.apply(decidedBySre(false, REQUESTED.plusSeconds(60)));

        // then
        assertEquals(LedgerStatus.DENIED, entry.status());
        assertEquals("APPROVAL_DENIED", entry.denyCode());
        assertEquals(SRE, entry.approvedBy());
        assertEquals("not now", entry.approvalReason());
    }

    @Test
    void shouldGoOnToIssuedAndRevokedWhenApprovedAfterWaiting() {
        // given
        LedgerEntry approved = waitingForApproval().apply(decidedBySre(true, REQUESTED.plusSeconds(60)));

        // when
        LedgerEntry issued = approved.apply(issued("grant-1", REQUESTED.plusSeconds(61)));
        LedgerEntry revoked = issued.apply(revoked("TASK_COMPLETED", REQUESTED.plusSeconds(62)));

        // then
        assertEquals(LedgerStatus.ISSUED, issued.status());
        assertEquals(LedgerStatus.REVOKED, revoked.status());
        assertEquals(SRE, revoked.approvedBy());
    }

    @Test
    void shouldKeepTheFinalDecisionWhenAPendingApprovalIsRedeliveredAfterIt() {
        // given
        LedgerEvent.Decided waitForIt = decided(DecisionOutcome.PENDING_APPROVAL, "prod writes need an SRE",
                REQUESTED.plusSeconds(1));
        LedgerEntry approved = pending.apply(waitForIt).apply(decidedBySre(true, REQUESTED.plusSeconds(60)));

        // when
        LedgerEntry entry = approved.apply(waitForIt);

        // then
        assertSame(approved, entry);
        assertEquals(LedgerStatus.APPROVED, entry.status());
    }

    @Test
    void shouldKeepTheFirstFinalDecisionWhenAnotherFinalDecisionFollows() {
        // given
        LedgerEntry denied = waitingForApproval().apply(decidedBySre(false, REQUESTED.plusSeconds(60)));

        // when
        LedgerEntry entry = denied.apply(decidedBySre(true, REQUESTED.plusSeconds(61)));

        // then
        assertSame(denied, entry);
        assertEquals("not now", entry.approvalReason());
    }

    @Test
    void shouldKeepTheFirstWaitWhenASecondPendingApprovalArrives() {
        // given
        LedgerEntry waiting = pending.apply(decided(DecisionOutcome.PENDING_APPROVAL, "first", REQUESTED.plusSeconds(1)));

        // when
        LedgerEntry entry = waiting.apply(decided(DecisionOutcome.PENDING_APPROVAL, "second", REQUESTED.plusSeconds(2)));

        // then
        assertSame(waiting, entry);
    }

    @Test
    void shouldStayIssuedAndRecordTheApprovalWhenTheGrantOvertakesTheFinalDecision() {
        // given
        LedgerEntry issued = waitingForApproval().apply(issued("grant-1", REQUESTED.plusSeconds(61)));

        // when
        LedgerEntry entry = issued.apply(decidedBySre(true, REQUESTED.plusSeconds(60)));

        // then
        assertEquals(LedgerStatus.ISSUED, entry.status());
        assertEquals(DecisionOutcome.APPROVED, entry.decision());
        assertEquals(SRE, entry.approvedBy());
    }

    // ---- break-glass ----

    @Test
    void shouldBeBreakGlassWhenTheWorkloadAskedForIt() {
        // given
        LedgerEntry entry = LedgerEntry.pending(REQUEST, WORKLOAD, new ValidAccessRequest("task-1", "prod", List.of(DB),
                900, null, "prod is down, INC-9", true, null), null, REQUESTED);

        // then
        assertTrue(entry.breakGlass());
        assertTrue(entry.isBreakGlass());
        assertNull(entry.decisionBreakGlass());
    }

    @Test
    void shouldBeBreakGlassWhenPolicyDecidedItAsOne() {
        // when
        LedgerEntry entry = pending.apply(new LedgerEvent.Decided(REQUEST, WORKLOAD, DecisionOutcome.APPROVED,
                List.of("break-glass rule bg-1"), "policy-7", List.of(DB), 300, REQUESTED.plusSeconds(1),
                null, true, null, null, null));

        // then
        assertFalse(entry.breakGlass());
        assertTrue(entry.decisionBreakGlass());
        assertTrue(entry.isBreakGlass());
    }

    @Test
    void shouldHoldNoDecisionGrantOrRevocationWhenJustRequested() {
        assertEquals(LedgerStatus.PENDING, pending.status());
        assertEquals(30L, pending.heartbeatIntervalSeconds());
        assertNull(pending.decision());
        assertNull(pending.grantId());
        assertNull(pending.revokedAt());
        assertNull(pending.enforcedAt());
        assertFalse(pending.isBreakGlass());
        assertNull(pending.approvalDeadline());
    }
}
