package io.jitbroker.issuer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.Base64URL;
import io.jitbroker.issuer.domain.Introspection.InactiveReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IntrospectorTest {

    private final MutableClock clock = new MutableClock(Fixtures.T0);
    private final InMemoryGrantStore store = new InMemoryGrantStore();
    private final SigningKeys keys = SigningKeys.ephemeral();
    private final CredentialMinter minter = new CredentialMinter(keys, Fixtures.ISSUER);
    private final Introspector introspector = new Introspector(keys, Fixtures.ISSUER, store, clock);
    private Grant grant;
    private String token;

    @BeforeEach
    void pickUpCredential() {
        grant = new GrantIssuer(store, clock, UUID::randomUUID).issue(Fixtures.decision("r-1")).grant();
        PickupResult pickup = new CredentialPickup(store, minter, clock).pickUp(grant.grantId(), Fixtures.DEPLOYER);
        token = pickup.credential().token();
    }

    @Test
    void shouldBeActiveWithClaimsWhenCredentialLive() {
        // when
        Introspection result = introspector.introspect(token);

        // then
        assertTrue(result.active());
        assertEquals(Fixtures.DEPLOYER, result.claims().subject());
        assertEquals(Fixtures.ISSUER, result.claims().issuer());
        assertEquals(grant.grantId().toString(), result.claims().grantId());
        assertEquals(grant.credentialId().toString(), result.claims().tokenId());
        assertEquals(List.of("orders-db", "https://api.internal/deploy"), result.claims().audience());
        assertEquals(grant.expiresAt(), result.claims().expiresAt());
        assertEquals("task-42", result.claims().taskId());
        assertEquals("prod", result.claims().environment());
    }

    @Test
    void shouldBeInactiveWhenGrantRevoked() {
        // given
        new RevocationEnforcer(store, clock).enforce(grant.grantId(), "TASK_COMPLETED", "done", clock.instant());

        // when
        Introspection result = introspector.introspect(token);

        // then
        assertFalse(result.active());
        assertEquals(InactiveReason.REVOKED, result.reason());
    }

    @Test
    void shouldBeInactiveWhenExpired() {
        // given
        clock.advance(Duration.ofMinutes(15));

        // when
        Introspection result = introspector.introspect(token);

        // then
        assertFalse(result.active());
        assertEquals(InactiveReason.EXPIRED, result.reason());
    }

    @Test
    void shouldBeInactiveWhenPayloadTampered() {
        // given: the claims are rewritten to another workload, the signature kept
        String[] parts = token.split("\\.");
        String claims = new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8)
                .replace(Fixtures.DEPLOYER, "spiffe://dev.local/ci/attacker");
        String tampered = parts[0] + "." + Base64URL.encode(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        // when
        Introspection result = introspector.introspect(tampered);

        // then
        assertFalse(result.active());
        assertEquals(InactiveReason.BAD_SIGNATURE, result.reason());
    }

    @Test
    void shouldBeInactiveWhenSignedByAnotherIssuerKey() {
        // given: same claims, minted by an issuer whose key we never published
        String foreign = new CredentialMinter(SigningKeys.ephemeral(), Fixtures.ISSUER).mint(grant, clock.instant()).token();

        // when
        Introspection result = introspector.introspect(foreign);

        // then
        assertFalse(result.active());
        assertEquals(InactiveReason.UNKNOWN_KEY, result.reason());
    }

    @Test
    void shouldBeInactiveWhenGrantUnknown() {
        // given: a well-signed credential for a grant that was never stored
        Grant unknown = Grant.issue(UUID.randomUUID(), UUID.randomUUID(), Fixtures.decision("r-unknown"),
                clock.instant(), clock.instant().plus(Duration.ofMinutes(5)));
        String orphan = minter.mint(unknown, clock.instant()).token();

        // when
        Introspection result = introspector.introspect(orphan);

        // then
        assertFalse(result.active());
        assertEquals(InactiveReason.UNKNOWN_GRANT, result.reason());
    }

    @Test
    void shouldBeInactiveWhenIssuedByAnotherIssuerUrl() {
        // given: our key, but another iss
        String elsewhere = new CredentialMinter(keys, "https://elsewhere.test").mint(grant, clock.instant()).token();

        // when
        Introspection result = introspector.introspect(elsewhere);

        // then
        assertFalse(result.active());
        assertEquals(InactiveReason.WRONG_ISSUER, result.reason());
    }

    @Test
    void shouldBeInactiveWhenNotAJwt() {
        // when
        Introspection result = introspector.introspect("not-a-token");

        // then
        assertFalse(result.active());
        assertEquals(InactiveReason.MALFORMED, result.reason());
    }

    @Test
    void shouldBeActiveJustBeforeGrantExpiresWhenNoRevocationArrived() {
        // given
        clock.advance(Duration.between(clock.instant(), grant.expiresAt()).minusMillis(1));

        // when
        Introspection result = introspector.introspect(token);

        // then
        assertTrue(result.active());
    }

    @Test
    void shouldBeInactiveFromTheMomentGrantExpiresWhenNoRevocationArrived() {
        // given: exactly the grant's expiresAt, and no revocation ever recorded
        clock.advance(Duration.between(clock.instant(), grant.expiresAt()));

        // when
        Introspection result = introspector.introspect(token);

        // then
        assertFalse(store.findById(grant.grantId()).orElseThrow().isRevoked());
        assertFalse(result.active());
        assertEquals(InactiveReason.EXPIRED, result.reason());
    }

    @Test
    void shouldBeInactiveWhenStoredGrantExpiredThoughTokenClaimsLongerLife() {
        // given: a well-signed token for the grant whose exp is an hour past the grant's own expiry
        Grant longerLived = new Grant(grant.grantId(), grant.requestId(), grant.credentialId(), grant.workloadId(),
                grant.taskId(), grant.environment(), grant.resources(), grant.credentialType(), grant.issuedAt(),
                grant.expiresAt().plus(Duration.ofHours(1)), grant.heartbeatInterval(), null, null, null, null, null);
        String overlong = minter.mint(longerLived, clock.instant()).token();
        clock.advance(Duration.between(clock.instant(), grant.expiresAt()).plusSeconds(1));

        // when
        Introspection result = introspector.introspect(overlong);

        // then: the grant's expiresAt is authoritative, not the token's exp
        assertFalse(result.active());
        assertEquals(InactiveReason.EXPIRED, result.reason());
    }
}
