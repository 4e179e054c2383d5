package io.jitbroker.issuer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RevocationEnforcerTest {

    /** Fixtures.T0 (…00.123456Z) rounded up to whole milliseconds, as enforcedAt is stored. */
    private static final Instant T0_IN_MILLIS = Instant.parse("2026-11-23T10:00:00.124Z");

    private final MutableClock clock = new MutableClock(Fixtures.T0);
    private final FlakyGrantStore store = new FlakyGrantStore();
    private final InMemoryPostgresRoles postgres = new InMemoryPostgresRoles();
    private final RevocationEnforcer enforcer = new RevocationEnforcer(store, postgres, clock);
    private Grant grant;

    @BeforeEach
    void issueGrant() {
        grant = new GrantIssuer(store, clock, UUID::randomUUID, target -> true).issue(Fixtures.decision("r-1")).grant();
    }

    @Test
    void shouldRecordRevocationAndEnforcementWhenGrantRevoked() {
        // given
        Instant revokedAt = Instant.parse("2026-11-23T10:00:00.080Z");
        clock.advance(Duration.ofMillis(40));

        // when
        RevocationEnforcer.Result result = enforcer.enforce(grant.grantId(), "TASK_COMPLETED", "task done", revokedAt);

        // then
        assertEquals(RevocationEnforcer.Outcome.ENFORCED, result.outcome());
        Grant revoked = store.findById(grant.grantId()).orElseThrow();
        assertEquals(revokedAt, revoked.revokedAt());
        assertEquals("TASK_COMPLETED", revoked.revocationReason());
        assertEquals(T0_IN_MILLIS.plusMillis(40), revoked.enforcedAt());
    }

    @Test
    void shouldDescribeEnforcementFromStoredGrantWhenGrantRevoked() {
        // given
        Instant revokedAt = Instant.parse("2026-11-23T10:00:00.080Z");

        // when
        Enforcement enforcement = enforcer.enforce(grant.grantId(), "TASK_COMPLETED", "task done", revokedAt).enforcement();

        // then
        assertEquals(new Enforcement(grant.grantId(), "r-1", Fixtures.DEPLOYER, grant.credentialId().toString(), "TASK_COMPLETED",
                "jwt-denylist", revokedAt, T0_IN_MILLIS), enforcement);
        assertEquals(Duration.ofMillis(44), enforcement.timeToEnforce());
    }

    @Test
    void shouldRoundEnforcedAtUpToWholeMillisecondsWhenClockIsFiner() {
        // given: the clock reads …00.123456Z; events carry milliseconds

        // when
        Enforcement enforcement = enforcer.enforce(grant.grantId(), "MANUAL", "sre", Fixtures.T0).enforcement();

        // then: never earlier than the moment it was recorded
        assertEquals(T0_IN_MILLIS, enforcement.enforcedAt());
        assertEquals(T0_IN_MILLIS, store.findById(grant.grantId()).orElseThrow().enforcedAt());
    }

    @Test
    void shouldReportSameEnforcementAndChangeNothingWhenRevocationRedelivered() {
        // given
        Enforcement first = enforcer.enforce(grant.grantId(), "TASK_COMPLETED", "task done", clock.instant()).enforcement();
        Grant afterFirst = store.findById(grant.grantId()).orElseThrow();
        clock.advance(Duration.ofMinutes(1));

        // when: redelivered, and even a second, different revocation of the same grant
        RevocationEnforcer.Result redelivered = enforcer.enforce(grant.grantId(), "TASK_COMPLETED", "task done",
                afterFirst.revokedAt());
        RevocationEnforcer.Result other = enforcer.enforce(grant.grantId(), "MANUAL", "again", clock.instant());

        // then
        assertEquals(RevocationEnforcer.Outcome.ALREADY_ENFORCED, redelivered.outcome());
        assertEquals(first, redelivered.enforcement(), "the same enforcedAt, read back from the store");
        assertEquals(first, other.enforcement(), "the first revocation's reason and revokedAt stand");
        assertEquals(afterFirst, store.findById(grant.grantId()).orElseThrow());
    }

    @Test
    void shouldCompleteEnforcementWhenInterruptedAfterRevoking() {
        // given: a crash left the grant revoked but not yet marked enforced
        store.markRevoked(grant.grantId(), "TASK_FAILED", "task failed", Fixtures.T0);
        clock.advance(Duration.ofSeconds(5));

        // when
        RevocationEnforcer.Result result = enforcer.enforce(grant.grantId(), "TASK_FAILED", "task failed", Fixtures.T0);

        // then
        assertEquals(RevocationEnforcer.Outcome.ENFORCED, result.outcome());
        assertEquals(T0_IN_MILLIS.plusSeconds(5), result.enforcement().enforcedAt());
        assertEquals(result.enforcement().enforcedAt(), store.findById(grant.grantId()).orElseThrow().enforcedAt());
    }

    @Test
    void shouldReportNoEnforcementUntilRetrySucceedsWhenRecordingEnforcementFails() {
        // given: the deny-list write succeeds, recording the enforcement does not
        store.failNextMarkEnforced();
        assertThrows(IllegalStateException.class,
                () -> enforcer.enforce(grant.grantId(), "TASK_COMPLETED", "task done", Fixtures.T0));
        clock.advance(Duration.ofSeconds(2));

        // when: the revocation is retried
        RevocationEnforcer.Result retried = enforcer.enforce(grant.grantId(), "TASK_COMPLETED", "task done", Fixtures.T0);

        // then
        assertEquals(RevocationEnforcer.Outcome.ENFORCED, retried.outcome());
        assertEquals(T0_IN_MILLIS.plusSeconds(2), retried.enforcement().enforcedAt());
    }

    @Test
    void shouldReportUnknownGrantWithoutEnforcementWhenGrantNeverIssued() {
        // when
        RevocationEnforcer.Result result = enforcer.enforce(UUID.randomUUID(), "MANUAL", "sre", clock.instant());

        // then
        assertEquals(RevocationEnforcer.Outcome.UNKNOWN_GRANT, result.outcome());
        assertNull(result.enforcement());
    }

    @Test
    void shouldDropLoginAndEnforceOnTargetWhenPostgresGrantRevoked() {
        // given: a picked-up login
        Grant login = pickedUpLogin();
        assertEquals(1, postgres.roles().size());

        // when
        RevocationEnforcer.Result result = enforcer.enforce(login.grantId(), "TASK_COMPLETED", "done", clock.instant());

        // then
        assertEquals(RevocationEnforcer.Outcome.ENFORCED, result.outcome());
        assertTrue(postgres.roles().isEmpty());
        assertEquals("postgres:orders-db", result.enforcement().backend());
        assertEquals(PostgresAccess.roleName(login.credentialId()), result.enforcement().credentialId());
    }

    @Test
    void shouldStayPendingUntilTargetDropsLoginWhenTargetUnreachable() {
        // given
        Grant login = pickedUpLogin();
        postgres.unreachable(true);

        // when: revoked while the target is down, then tried again once it is back
        RevocationEnforcer.Result pending = enforcer.enforce(login.grantId(), "TASK_COMPLETED", "done", clock.instant());
        List<Grant> toRetry = enforcer.pendingLogins(10);
        postgres.unreachable(false);
        RevocationEnforcer.Result retried = enforcer.dropLogin(toRetry.get(0));

        // then
        assertEquals(RevocationEnforcer.Outcome.PENDING, pending.outcome());
        assertNull(pending.enforcement(), "nothing to announce while the login exists");
        assertTrue(store.findById(login.grantId()).orElseThrow().isRevoked(), "but pickup is refused already");
        assertEquals(List.of(login.grantId()), toRetry.stream().map(Grant::grantId).toList());
        assertEquals(RevocationEnforcer.Outcome.ENFORCED, retried.outcome());
        assertTrue(postgres.roles().isEmpty());
        assertTrue(enforcer.pendingLogins(10).isEmpty());
    }

    @Test
    void shouldAnnounceSameEnforcementWhenPostgresRevocationRedelivered() {
        // given
        Grant login = pickedUpLogin();
        Enforcement first = enforcer.enforce(login.grantId(), "TASK_COMPLETED", "done", clock.instant()).enforcement();
        clock.advance(Duration.ofSeconds(5));

        // when
        RevocationEnforcer.Result again = enforcer.enforce(login.grantId(), "TASK_COMPLETED", "done", clock.instant());

        // then
        assertEquals(RevocationEnforcer.Outcome.ALREADY_ENFORCED, again.outcome());
        assertEquals(first, again.enforcement());
    }

    @Test
    void shouldOfferUnannouncedLoginEnforcementsUntilAnnounced() {
        // given: enforced, and the instance stopped before announcing
        Grant login = pickedUpLogin();
        enforcer.enforce(login.grantId(), "TASK_COMPLETED", "done", clock.instant());
        clock.advance(Duration.ofMinutes(1));

        // when
        List<Enforcement> leftovers = enforcer.unannouncedLogins(clock.instant(), 10);
        enforcer.announced(login.grantId());

        // then
        assertEquals(List.of(login.grantId()), leftovers.stream().map(Enforcement::grantId).toList());
        assertTrue(enforcer.unannouncedLogins(clock.instant(), 10).isEmpty());
    }

    private Grant pickedUpLogin() {
        Grant login = new GrantIssuer(store, clock, UUID::randomUUID, target -> true)
                .issue(Fixtures.postgresDecision("r-pg")).grant();
        DpopVerifier dpop = new DpopVerifier(new InMemoryProofReplayGuard(), clock, Duration.ofSeconds(60),
                Duration.ofSeconds(5));
        new CredentialPickup(store, Fixtures.minter(Fixtures.signingKeys(clock)), postgres, dpop,
                Fixtures.REVOCATIONS_CURRENT, clock)
                .pickUp(login.grantId(), Fixtures.DEPLOYER, "svid", null);
        return login;
    }
}
