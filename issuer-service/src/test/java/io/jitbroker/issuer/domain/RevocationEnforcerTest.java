package io.jitbroker.issuer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RevocationEnforcerTest {

    private final MutableClock clock = new MutableClock(Fixtures.T0);
    private final InMemoryGrantStore store = new InMemoryGrantStore();
    private final RevocationEnforcer enforcer = new RevocationEnforcer(store, clock);
    private Grant grant;

    @BeforeEach
    void issueGrant() {
        grant = new GrantIssuer(store, clock, UUID::randomUUID).issue(Fixtures.decision("r-1")).grant();
    }

    @Test
    void shouldRecordRevocationAndEnforcementWhenGrantRevoked() {
        // given
        Instant revokedAt = clock.instant();
        clock.advance(Duration.ofMillis(40));

        // when
        RevocationEnforcer.Outcome outcome = enforcer.enforce(grant.grantId(), "TASK_COMPLETED", "task done", revokedAt);

        // then
        assertEquals(RevocationEnforcer.Outcome.ENFORCED, outcome);
        Grant revoked = store.findById(grant.grantId()).orElseThrow();
        assertEquals(revokedAt, revoked.revokedAt());
        assertEquals("TASK_COMPLETED", revoked.revocationReason());
        assertEquals(clock.instant(), revoked.enforcedAt());
    }

    @Test
    void shouldChangeNothingWhenRevocationRedelivered() {
        // given
        enforcer.enforce(grant.grantId(), "TASK_COMPLETED", "task done", clock.instant());
        Grant afterFirst = store.findById(grant.grantId()).orElseThrow();
        clock.advance(Duration.ofMinutes(1));

        // when
        RevocationEnforcer.Outcome outcome = enforcer.enforce(grant.grantId(), "MANUAL", "again", clock.instant());

        // then
        assertEquals(RevocationEnforcer.Outcome.ALREADY_ENFORCED, outcome);
        assertEquals(afterFirst, store.findById(grant.grantId()).orElseThrow());
    }

    @Test
    void shouldCompleteEnforcementWhenInterruptedAfterRevoking() {
        // given: a crash left the grant revoked but not yet marked enforced
        store.markRevoked(grant.grantId(), "TASK_FAILED", "task failed", clock.instant());

        // when
        RevocationEnforcer.Outcome outcome = enforcer.enforce(grant.grantId(), "TASK_FAILED", "task failed", clock.instant());

        // then
        assertEquals(RevocationEnforcer.Outcome.ENFORCED, outcome);
        assertEquals(clock.instant(), store.findById(grant.grantId()).orElseThrow().enforcedAt());
    }

    @Test
    void shouldReportUnknownGrantWhenGrantNeverIssued() {
        // when
        RevocationEnforcer.Outcome outcome = enforcer.enforce(UUID.randomUUID(), "MANUAL", "sre", clock.instant());

        // then
        assertEquals(RevocationEnforcer.Outcome.UNKNOWN_GRANT, outcome);
    }
}
