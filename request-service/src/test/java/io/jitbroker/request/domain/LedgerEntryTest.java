package io.jitbroker.request.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerEntryTest {

    private static final String REQUEST = "req-1";
    private static final String WORKLOAD = "spiffe://dev.local/ci/deployer";
    private static final Instant REQUESTED = Instant.parse("2026-01-01T10:00:00Z");
    private static final RequestedResource DB = new RequestedResource("postgres", "orders-db", List.of("read"));

    private final LedgerEntry pending = LedgerEntry.pending(REQUEST, WORKLOAD,
            new ValidAccessRequest("task-1", "prod", List.of(DB), 900, 30L, "migration"), null, REQUESTED);

    private static LedgerEvent.Decided decided(DecisionOutcome outcome, String reason, Instant at) {
        return new LedgerEvent.Decided(REQUEST, WORKLOAD, outcome, List.of(reason), "policy-7",
                outcome == DecisionOutcome.APPROVED ? List.of(DB) : List.of(),
                outcome == DecisionOutcome.APPROVED ? 600 : 0, at);
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
        assertEquals("policy-7", entry.policyVersion());
        assertEquals(REQUESTED.plusSeconds(1), entry.decidedAt());
    }

    @Test
    void shouldStayPendingButRecordTheDecisionWhenPolicyApproves() {
        // when
        LedgerEntry entry = pending.apply(decided(DecisionOutcome.APPROVED, "rule deploy-prod", REQUESTED.plusSeconds(1)));

        // then
        assertEquals(LedgerStatus.PENDING, entry.status());
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

    @Test
    void shouldHoldNoDecisionGrantOrRevocationWhenJustRequested() {
        assertEquals(LedgerStatus.PENDING, pending.status());
        assertEquals(30L, pending.heartbeatIntervalSeconds());
        assertNull(pending.decision());
        assertNull(pending.grantId());
        assertNull(pending.revokedAt());
        assertNull(pending.enforcedAt());
    }
}
