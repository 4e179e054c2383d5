package io.jitbroker.issuer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class GrantIssuerTest {

    private final MutableClock clock = new MutableClock(Fixtures.T0);
    private final InMemoryGrantStore store = new InMemoryGrantStore();
    private final GrantIssuer issuer = new GrantIssuer(store, clock, UUID::randomUUID, "orders-db"::equals);

    @Test
    void shouldExpireAfterGrantedTtlWhenIssued() {
        // when
        GrantIssuer.Issuance issuance = issuer.issue(Fixtures.decision("r-1"));

        // then
        assertTrue(issuance.created());
        assertEquals(Instant.parse("2026-11-23T10:00:00.123Z"), issuance.grant().issuedAt());
        assertEquals(Instant.parse("2026-11-23T10:15:00Z"), issuance.grant().expiresAt());
    }

    @Test
    void shouldReturnSameGrantWhenDecisionRedelivered() {
        // given
        Grant first = issuer.issue(Fixtures.decision("r-1")).grant();
        clock.advance(Duration.ofMinutes(1));

        // when
        GrantIssuer.Issuance again = issuer.issue(Fixtures.decision("r-1"));

        // then
        assertFalse(again.created());
        assertEquals(first, again.grant());
    }

    @Test
    void shouldRefuseWhenRedeliveredDecisionAsksForOtherAccess() {
        // given
        issuer.issue(Fixtures.decision("r-1"));
        ApprovedDecision widened = new ApprovedDecision("r-1", Fixtures.DEPLOYER, "task-42", "prod",
                List.of(new GrantedResource("http", "payroll-db", List.of("write"))), Duration.ofMinutes(15), null, null);

        // when / then
        assertThrows(InvalidEventException.class, () -> issuer.issue(widened));
    }

    @Test
    void shouldStoreHeartbeatWhenDecisionRequiresOne() {
        // when
        GrantIssuer.Issuance issuance = issuer.issue(Fixtures.decisionWithHeartbeat("r-1", Duration.ofSeconds(30)));

        // then
        assertEquals(Duration.ofSeconds(30), issuance.grant().heartbeatInterval());
        assertEquals(Duration.ofSeconds(30), store.findById(issuance.grant().grantId()).orElseThrow().heartbeatInterval());
    }

    @Test
    void shouldStoreNoHeartbeatWhenDecisionRequiresNone() {
        // when
        GrantIssuer.Issuance issuance = issuer.issue(Fixtures.decision("r-1"));

        // then
        assertNull(issuance.grant().heartbeatInterval());
    }

    @Test
    void shouldReturnSameGrantWhenDecisionWithHeartbeatRedelivered() {
        // given
        Grant first = issuer.issue(Fixtures.decisionWithHeartbeat("r-1", Duration.ofSeconds(30))).grant();
        clock.advance(Duration.ofMinutes(1));

        // when
        GrantIssuer.Issuance again = issuer.issue(Fixtures.decisionWithHeartbeat("r-1", Duration.ofSeconds(30)));

        // then
        assertFalse(again.created());
        assertEquals(first, again.grant());
    }

    @Test
    void shouldRefuseWhenRedeliveredDecisionDropsTheHeartbeat() {
        // given
        issuer.issue(Fixtures.decisionWithHeartbeat("r-1", Duration.ofSeconds(30)));

        // when / then: no heartbeat is looser access than a 30 s heartbeat
        assertThrows(InvalidEventException.class, () -> issuer.issue(Fixtures.decision("r-1")));
    }

    @Test
    void shouldIssueDatabaseLoginGrantNamedByItsRoleWhenResourcesArePostgres() {
        // when
        Grant grant = issuer.issue(Fixtures.postgresDecision("r-pg")).grant();

        // then
        assertEquals("postgres", grant.credentialType());
        assertEquals(PostgresAccess.roleName(grant.credentialId()), grant.credentialName());
    }

    @Test
    void shouldRefuseWhenPostgresTargetNotConfigured() {
        // given
        ApprovedDecision elsewhere = new ApprovedDecision("r-pg", Fixtures.DEPLOYER, "task-42", "prod",
                List.of(new GrantedResource("postgres", "payroll-db/public.salaries", List.of("SELECT"))),
                Duration.ofMinutes(15), null, null);

        // when
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> issuer.issue(elsewhere));

        // then
        assertTrue(e.getMessage().contains("payroll-db"), e.getMessage());
        assertTrue(store.findByRequestId("r-pg").isEmpty());
    }
}
