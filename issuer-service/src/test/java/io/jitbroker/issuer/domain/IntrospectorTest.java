package io.jitbroker.issuer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.Base64URL;
import io.jitbroker.issuer.domain.Introspection.InactiveReason;
import io.jitbroker.issuer.support.DpopClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IntrospectorTest {

    private static final String SVID = "eyJ.deployer-svid.sig";
    private static final URI RESOURCE = URI.create("https://orders.internal/v1/orders");

    private final MutableClock clock = new MutableClock(Fixtures.T0);
    private final InMemoryGrantStore store = new InMemoryGrantStore();
    private final SigningKeys keys = Fixtures.signingKeys(clock);
    /** Shared by the minter and the introspector, as in the service. */
    private final VerifiedCredentials verified = new VerifiedCredentials(1000);
    private final CredentialMinter minter = new CredentialMinter(keys, Fixtures.ISSUER, verified);
    private final DpopVerifier dpop = new DpopVerifier(new InMemoryProofReplayGuard(), clock, Duration.ofSeconds(60),
            Duration.ofSeconds(5));
    private final CredentialPickup pickup = new CredentialPickup(store, minter, new InMemoryPostgresRoles(), dpop,
            Fixtures.REVOCATIONS_CURRENT, clock);
    /** What the grants' revocation state is; known (nothing unknown) unless a test says otherwise. */
    private Optional<RevocationStateUnknown> revocationState = Optional.empty();
    private final RevocationFreshness freshness = grantId -> revocationState;
    private final Introspector introspector = new Introspector(keys, Fixtures.ISSUER, store, dpop, freshness, clock, verified);
    private final DpopClient workloadKey = DpopClient.generate();
    private Grant grant;
    private String token;

    @BeforeEach
    void pickUpCredential() {
        grant = new GrantIssuer(store, clock, UUID::randomUUID, target -> true).issue(Fixtures.decision("r-1")).grant();
        token = ((MintedCredential) pickup.pickUp(grant.grantId(), Fixtures.DEPLOYER, SVID, null).credential()).token();
    }

    @Test
    void shouldBeActiveWithClaimsWhenCredentialLive() {
        // when
        Introspection result = introspector.introspect(token, null);

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
        new RevocationEnforcer(store, new InMemoryPostgresRoles(), clock).enforce(grant.grantId(), "TASK_COMPLETED", "done", clock.instant());

        // when
        Introspection result = introspector.introspect(token, null);

        // then
        assertFalse(result.active());
        assertEquals(InactiveReason.REVOKED, result.reason());
    }

    @Test
    void shouldBeInactiveWhenGrantRevokedAfterAnEarlierActiveAnswer() {
        // given: the credential introspected once (its signature is now remembered)
        assertTrue(introspector.introspect(token, null).active());
        new RevocationEnforcer(store, new InMemoryPostgresRoles(), clock).enforce(grant.grantId(), "TASK_COMPLETED", "done", clock.instant());

        // when
        Introspection result = introspector.introspect(token, null);

        // then
        assertFalse(result.active());
        assertEquals(InactiveReason.REVOKED, result.reason());
    }

    @Test
    void shouldBeInactiveWhenSigningKeyRetiredAfterAnEarlierActiveAnswer() {
        // given: the credential introspected once, then its key rotated out and retired
        assertTrue(introspector.introspect(token, null).active());
        clock.advance(Duration.ofMinutes(1));
        keys.rotateNow();
        clock.advance(Duration.between(clock.instant(), grant.expiresAt().plus(SigningKeys.EXPIRY_RECORDED_AHEAD)));
        assertEquals(1, keys.maintain().retired().size());

        // when
        Introspection result = introspector.introspect(token, null);

        // then: a remembered signature never outlives its key
        assertFalse(result.active());
        assertEquals(InactiveReason.UNKNOWN_KEY, result.reason());
    }

    @Test
    void shouldBeInactiveWhenExpiredAfterAnEarlierActiveAnswer() {
        // given
        assertTrue(introspector.introspect(token, null).active());
        clock.advance(Duration.between(clock.instant(), grant.expiresAt()));

        // when
        Introspection result = introspector.introspect(token, null);

        // then
        assertFalse(result.active());
        assertEquals(InactiveReason.EXPIRED, result.reason());
    }

    @Test
    void shouldBeInactiveWhenExpired() {
        // given
        clock.advance(Duration.ofMinutes(15));

        // when
        Introspection result = introspector.introspect(token, null);

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
        Introspection result = introspector.introspect(tampered, null);

        // then
        assertFalse(result.active());
        assertEquals(InactiveReason.BAD_SIGNATURE, result.reason());
    }

    @Test
    void shouldBeInactiveWhenSignedByAnotherIssuerKey() {
        // given: same claims, minted by an issuer whose key we never published
        String foreign = Fixtures.minter(Fixtures.signingKeys(clock)).mint(grant, clock.instant(), null)
                .token();

        // when
        Introspection result = introspector.introspect(foreign, null);

        // then
        assertFalse(result.active());
        assertEquals(InactiveReason.UNKNOWN_KEY, result.reason());
    }

    @Test
    void shouldBeInactiveWhenGrantUnknown() {
        // given: a well-signed credential for a grant that was never stored
        Grant unknown = Grant.issue(UUID.randomUUID(), UUID.randomUUID(), Fixtures.decision("r-unknown"), Grant.JWT,
                clock.instant(), clock.instant().plus(Duration.ofMinutes(5)));
        String orphan = minter.mint(unknown, clock.instant(), null).token();

        // when
        Introspection result = introspector.introspect(orphan, null);

        // then
        assertFalse(result.active());
        assertEquals(InactiveReason.UNKNOWN_GRANT, result.reason());
    }

    @Test
    void shouldBeInactiveWhenIssuedByAnotherIssuerUrl() {
        // given: our key, but another iss
        String elsewhere = new CredentialMinter(keys, "https://elsewhere.test", new VerifiedCredentials(10)).mint(grant, clock.instant(), null).token();

        // when
        Introspection result = introspector.introspect(elsewhere, null);

        // then
        assertFalse(result.active());
        assertEquals(InactiveReason.WRONG_ISSUER, result.reason());
    }

    @Test
    void shouldBeInactiveWhenNotAJwt() {
        // when
        Introspection result = introspector.introspect("not-a-token", null);

        // then
        assertFalse(result.active());
        assertEquals(InactiveReason.MALFORMED, result.reason());
    }

    @Test
    void shouldBeActiveJustBeforeGrantExpiresWhenNoRevocationArrived() {
        // given
        clock.advance(Duration.between(clock.instant(), grant.expiresAt()).minusMillis(1));

        // when
        Introspection result = introspector.introspect(token, null);

        // then
        assertTrue(result.active());
    }

    @Test
    void shouldBeInactiveFromTheMomentGrantExpiresWhenNoRevocationArrived() {
        // given: exactly the grant's expiresAt, and no revocation ever recorded
        clock.advance(Duration.between(clock.instant(), grant.expiresAt()));

        // when
        Introspection result = introspector.introspect(token, null);

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
                grant.expiresAt().plus(Duration.ofHours(1)), grant.heartbeatInterval(), null, null, null, null, null, null);
        String overlong = minter.mint(longerLived, clock.instant(), null).token();
        clock.advance(Duration.between(clock.instant(), grant.expiresAt()).plusSeconds(1));

        // when
        Introspection result = introspector.introspect(overlong, null);

        // then: the grant's expiresAt is authoritative, not the token's exp
        assertFalse(result.active());
        assertEquals(InactiveReason.EXPIRED, result.reason());
    }

    @Test
    void shouldStayActiveAfterRotationWhenSignedByPreviousKey() {
        // given
        String signedBy = keys.activeKeyId();
        clock.advance(Duration.ofMinutes(1));
        keys.rotateNow();

        // when
        Introspection result = introspector.introspect(token, null);

        // then
        assertNotEquals(signedBy, keys.activeKeyId());
        assertTrue(result.active());
    }

    @Test
    void shouldBeInactiveWhenSigningKeyRetired() {
        // given: rotated, and the old key retired once its last token expired
        clock.advance(Duration.ofMinutes(1));
        keys.rotateNow();
        clock.advance(Duration.between(clock.instant(), grant.expiresAt().plus(SigningKeys.EXPIRY_RECORDED_AHEAD)));
        assertEquals(1, keys.maintain().retired().size());

        // when
        Introspection result = introspector.introspect(token, null);

        // then
        assertFalse(result.active());
        assertEquals(InactiveReason.UNKNOWN_KEY, result.reason());
    }

    @Test
    void shouldBeActiveAsDpopTokenWhenBoundTokenComesWithProofByItsKey() {
        // given
        String bound = boundCredential();

        // when
        Introspection result = introspector.introspect(bound, resourceRequest(workloadKey, bound));

        // then
        assertTrue(result.active());
        assertEquals(workloadKey.thumbprint(), result.claims().boundJkt());
        assertEquals("DPoP", result.claims().tokenType());
    }

    @Test
    void shouldBeInactiveWhenBoundTokenComesWithoutProof() {
        // given: a copy of a bound token, replayed as if it were a bearer token
        String bound = boundCredential();

        // when
        Introspection result = introspector.introspect(bound, null);

        // then
        assertFalse(result.active());
        assertEquals(InactiveReason.DPOP_PROOF_MISSING, result.reason());
    }

    @Test
    void shouldBeInactiveWhenBoundTokenComesWithProofByAnotherKey() {
        // given
        String bound = boundCredential();

        // when
        Introspection result = introspector.introspect(bound, resourceRequest(DpopClient.generate(), bound));

        // then
        assertFalse(result.active());
        assertEquals(InactiveReason.DPOP_PROOF_INVALID, result.reason());
    }

    @Test
    void shouldBeInactiveWhenBoundTokenComesWithReplayedProof() {
        // given: a request, token and proof captured and sent again
        String bound = boundCredential();
        DpopPresentation captured = resourceRequest(workloadKey, bound);
        assertTrue(introspector.introspect(bound, captured).active());

        // when
        Introspection replay = introspector.introspect(bound, captured);

        // then
        assertFalse(replay.active());
        assertEquals(InactiveReason.DPOP_PROOF_INVALID, replay.reason());
    }

    @Test
    void shouldBeInactiveWhenBoundTokenIsRevokedThoughProofValid() {
        // given
        String bound = boundCredential();
        Grant boundGrant = store.findByRequestId("r-bound").orElseThrow();
        new RevocationEnforcer(store, new InMemoryPostgresRoles(), clock).enforce(boundGrant.grantId(), "MANUAL", "sre", clock.instant());

        // when
        Introspection result = introspector.introspect(bound, resourceRequest(workloadKey, bound));

        // then
        assertFalse(result.active());
        assertEquals(InactiveReason.REVOKED, result.reason());
    }

    @Test
    void shouldAnswerRevocationStateUnknownWhenGrantPartitionIsStale() {
        // given: the credential's grant is not revoked here, but its partition was last confirmed 4 s ago
        RevocationStateUnknown stale = staleFor(grant);
        revocationState = Optional.of(stale);

        // when
        Introspection result = introspector.introspect(token, null);

        // then: never active
        assertFalse(result.active());
        assertEquals(InactiveReason.REVOCATION_STATE_UNKNOWN, result.reason());
        assertEquals(stale, result.unknownState());
    }

    @Test
    void shouldStayInactiveWhenGrantKnownRevokedThoughRevocationStateUnknown() {
        // given
        new RevocationEnforcer(store, new InMemoryPostgresRoles(), clock).enforce(grant.grantId(), "MANUAL", "sre",
                clock.instant());
        revocationState = Optional.of(staleFor(grant));

        // when
        Introspection result = introspector.introspect(token, null);

        // then: what is known is answered
        assertFalse(result.active());
        assertEquals(InactiveReason.REVOKED, result.reason());
    }

    @Test
    void shouldStayInactiveWhenCredentialExpiredThoughRevocationStateUnknown() {
        // given
        clock.advance(Duration.between(clock.instant(), grant.expiresAt()));
        revocationState = Optional.of(staleFor(grant));

        // when
        Introspection result = introspector.introspect(token, null);

        // then
        assertFalse(result.active());
        assertEquals(InactiveReason.EXPIRED, result.reason());
    }

    @Test
    void shouldLeaveDpopProofUnusedWhenRevocationStateUnknown() {
        // given: a valid request refused while the state is unknown
        String bound = boundCredential();
        DpopPresentation request = resourceRequest(workloadKey, bound);
        revocationState = Optional.of(staleFor(grant));
        assertEquals(InactiveReason.REVOCATION_STATE_UNKNOWN, introspector.introspect(bound, request).reason());

        // when: the resource server asks again with the same proof once the partition is confirmed
        revocationState = Optional.empty();
        Introspection retried = introspector.introspect(bound, request);

        // then: the proof was not used up by the refusal
        assertTrue(retried.active());
    }

    private static RevocationStateUnknown staleFor(Grant grant) {
        return new RevocationStateUnknown(RevocationStateUnknown.Reason.STALE,
                RevocationPartitions.partitionOf(grant.grantId(), 3), Duration.ofSeconds(4), Duration.ofSeconds(3));
    }

    private String boundCredential() {
        Grant bound = new GrantIssuer(store, clock, UUID::randomUUID, target -> true)
                .issue(Fixtures.decisionBoundTo("r-bound", workloadKey.thumbprint())).grant();
        URI pickupUrl = URI.create(Fixtures.ISSUER + "/v1/grants/" + bound.grantId() + "/credential");
        PickupResult result = pickup.pickUp(bound.grantId(), Fixtures.DEPLOYER, SVID,
                new DpopPresentation(workloadKey.proof("GET", pickupUrl, SVID), "GET", pickupUrl));
        return ((MintedCredential) result.credential()).token();
    }

    private static DpopPresentation resourceRequest(DpopClient key, String credential) {
        return new DpopPresentation(key.proof("GET", RESOURCE, credential), "GET", RESOURCE);
    }
}
