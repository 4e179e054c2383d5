package io.jitbroker.issuer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jitbroker.issuer.domain.PickupResult.Outcome;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CredentialPickupTest {

    private final MutableClock clock = new MutableClock(Fixtures.T0);
    private final InMemoryGrantStore store = new InMemoryGrantStore();
    private final CredentialPickup pickup =
            new CredentialPickup(store, new CredentialMinter(SigningKeys.ephemeral(), Fixtures.ISSUER), clock);
    private Grant grant;

    @BeforeEach
    void issueGrant() {
        grant = new GrantIssuer(store, clock, UUID::randomUUID).issue(Fixtures.decision("r-1")).grant();
    }

    @Test
    void shouldIssueCredentialWhenGrantWorkloadPicksUp() {
        // when
        PickupResult result = pickup.pickUp(grant.grantId(), Fixtures.DEPLOYER);

        // then
        assertEquals(Outcome.ISSUED, result.outcome());
        assertNotNull(result.credential().token());
        assertEquals(clock.instant(), store.findById(grant.grantId()).orElseThrow().pickedUpAt());
    }

    @Test
    void shouldRefuseWhenPickedUpTwice() {
        // given
        pickup.pickUp(grant.grantId(), Fixtures.DEPLOYER);

        // when
        PickupResult second = pickup.pickUp(grant.grantId(), Fixtures.DEPLOYER);

        // then
        assertEquals(Outcome.ALREADY_PICKED_UP, second.outcome());
        assertNull(second.credential());
    }

    @Test
    void shouldRefuseWhenCallerIsAnotherWorkload() {
        // when
        PickupResult result = pickup.pickUp(grant.grantId(), "spiffe://dev.local/ci/other");

        // then
        assertEquals(Outcome.NOT_GRANT_WORKLOAD, result.outcome());
        assertNull(store.findById(grant.grantId()).orElseThrow().pickedUpAt());
    }

    @Test
    void shouldRefuseWhenGrantUnknown() {
        // when
        PickupResult result = pickup.pickUp(UUID.randomUUID(), Fixtures.DEPLOYER);

        // then
        assertEquals(Outcome.NOT_FOUND, result.outcome());
    }

    @Test
    void shouldRefuseWhenGrantRevoked() {
        // given
        store.markRevoked(grant.grantId(), "MANUAL", "sre", clock.instant());

        // when
        PickupResult result = pickup.pickUp(grant.grantId(), Fixtures.DEPLOYER);

        // then
        assertEquals(Outcome.REVOKED, result.outcome());
    }

    @Test
    void shouldRefuseWhenGrantExpired() {
        // given
        clock.advance(Duration.ofMinutes(16));

        // when
        PickupResult result = pickup.pickUp(grant.grantId(), Fixtures.DEPLOYER);

        // then
        assertEquals(Outcome.EXPIRED, result.outcome());
    }
}
