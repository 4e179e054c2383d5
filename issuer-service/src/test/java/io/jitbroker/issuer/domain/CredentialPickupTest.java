package io.jitbroker.issuer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import io.jitbroker.issuer.domain.PickupResult.Outcome;
import io.jitbroker.issuer.support.DpopClient;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CredentialPickupTest {

    private static final String SVID = "eyJ.deployer-svid.sig";

    private final MutableClock clock = new MutableClock(Fixtures.T0);
    private final InMemoryGrantStore store = new InMemoryGrantStore();
    private final DpopVerifier dpop = new DpopVerifier(new InMemoryProofReplayGuard(), clock, Duration.ofSeconds(60),
            Duration.ofSeconds(5));
    private final InMemoryPostgresRoles postgres = new InMemoryPostgresRoles();
    /** What the grants' revocation state is; known (nothing unknown) unless a test says otherwise. */
    private Optional<RevocationStateUnknown> revocationState = Optional.empty();
    private final CredentialPickup pickup = new CredentialPickup(store,
            Fixtures.minter(Fixtures.signingKeys(clock)), postgres, dpop,
            grantId -> revocationState, clock);
    private final DpopClient workloadKey = DpopClient.generate();
    private Grant grant;

    @BeforeEach
    void issueGrant() {
        grant = new GrantIssuer(store, clock, UUID::randomUUID, target -> true).issue(Fixtures.decision("r-1")).grant();
    }

    @Test
    void shouldIssueBearerCredentialWhenGrantWorkloadPicksUpWithoutProof() {
        // when
        PickupResult result = pickup.pickUp(grant.grantId(), Fixtures.DEPLOYER, SVID, null);

        // then
        assertEquals(Outcome.ISSUED, result.outcome());
        assertNotNull(jwt(result).token());
        assertEquals("Bearer", jwt(result).tokenType());
        assertEquals(clock.instant(), store.findById(grant.grantId()).orElseThrow().pickedUpAt());
    }

    @Test
    void shouldRefuseWhenPickedUpTwice() {
        // given
        pickup.pickUp(grant.grantId(), Fixtures.DEPLOYER, SVID, null);

        // when
        PickupResult second = pickup.pickUp(grant.grantId(), Fixtures.DEPLOYER, SVID, null);

        // then
        assertEquals(Outcome.ALREADY_PICKED_UP, second.outcome());
        assertNull(second.credential());
    }

    @Test
    void shouldRefuseWhenCallerIsAnotherWorkload() {
        // when
        PickupResult result = pickup.pickUp(grant.grantId(), "spiffe://dev.local/ci/other", SVID, null);

        // then
        assertEquals(Outcome.NOT_GRANT_WORKLOAD, result.outcome());
        assertNull(store.findById(grant.grantId()).orElseThrow().pickedUpAt());
    }

    @Test
    void shouldRefuseWhenGrantUnknown() {
        // when
        PickupResult result = pickup.pickUp(UUID.randomUUID(), Fixtures.DEPLOYER, SVID, null);

        // then
        assertEquals(Outcome.NOT_FOUND, result.outcome());
    }

    @Test
    void shouldRefuseWhenGrantRevoked() {
        // given
        store.markRevoked(grant.grantId(), "MANUAL", "sre", clock.instant());

        // when
        PickupResult result = pickup.pickUp(grant.grantId(), Fixtures.DEPLOYER, SVID, null);

        // then
        assertEquals(Outcome.REVOKED, result.outcome());
    }

    @Test
    void shouldRefuseWhenGrantExpired() {
        // given
        clock.advance(Duration.ofMinutes(16));

        // when
        PickupResult result = pickup.pickUp(grant.grantId(), Fixtures.DEPLOYER, SVID, null);

        // then
        assertEquals(Outcome.EXPIRED, result.outcome());
    }

    @Test
    void shouldRefuseWithoutBurningGrantWhenRevocationStateUnknown() {
        // given: the grant's partition was never confirmed applied
        revocationState = Optional.of(new RevocationStateUnknown(RevocationStateUnknown.Reason.NEVER_CONFIRMED,
                RevocationPartitions.partitionOf(grant.grantId(), 3), null, Duration.ofSeconds(3)));

        // when
        PickupResult refused = pickup.pickUp(grant.grantId(), Fixtures.DEPLOYER, SVID, null);

        // then: no credential, and the grant is still pickable once the state is known
        assertEquals(Outcome.REVOCATION_STATE_UNKNOWN, refused.outcome());
        assertNull(refused.credential());
        assertEquals(RevocationStateUnknown.Reason.NEVER_CONFIRMED, refused.unknownState().reason());
        assertNull(store.findById(grant.grantId()).orElseThrow().pickedUpAt());
        revocationState = Optional.empty();
        assertEquals(Outcome.ISSUED, pickup.pickUp(grant.grantId(), Fixtures.DEPLOYER, SVID, null).outcome());
    }

    @Test
    void shouldAnswerRevokedWhenGrantKnownRevokedThoughRevocationStateUnknown() {
        // given
        store.markRevoked(grant.grantId(), "MANUAL", "sre", clock.instant());
        revocationState = Optional.of(new RevocationStateUnknown(RevocationStateUnknown.Reason.STALE,
                RevocationPartitions.partitionOf(grant.grantId(), 3), Duration.ofSeconds(9), Duration.ofSeconds(3)));

        // when
        PickupResult result = pickup.pickUp(grant.grantId(), Fixtures.DEPLOYER, SVID, null);

        // then
        assertEquals(Outcome.REVOKED, result.outcome());
    }

    @Test
    void shouldBindCredentialToDeclaredKeyWhenPickupProvesIt() throws Exception {
        // given
        Grant bound = issueBoundTo(workloadKey.thumbprint());

        // when
        PickupResult result = pickup.pickUp(bound.grantId(), Fixtures.DEPLOYER, SVID, proofFor(bound, workloadKey));

        // then
        assertEquals(Outcome.ISSUED, result.outcome());
        assertEquals("DPoP", jwt(result).tokenType());
        assertEquals(workloadKey.thumbprint(), SignedJWT.parse(jwt(result).token()).getJWTClaimsSet()
                .getJSONObjectClaim("cnf").get("jkt"));
    }

    @Test
    void shouldRefuseWithoutBurningGrantWhenDeclaredKeyButNoProof() {
        // given
        Grant bound = issueBoundTo(workloadKey.thumbprint());

        // when
        PickupResult result = pickup.pickUp(bound.grantId(), Fixtures.DEPLOYER, SVID, null);

        // then
        assertEquals(Outcome.DPOP_PROOF_REQUIRED, result.outcome());
        assertNull(store.findById(bound.grantId()).orElseThrow().pickedUpAt(), "the workload may still pick it up");
    }

    @Test
    void shouldRefuseWhenProofIsByAnotherKeyThanDeclared() {
        // given: the declared key is the workload's; the proof is someone else's
        Grant bound = issueBoundTo(workloadKey.thumbprint());

        // when
        PickupResult result = pickup.pickUp(bound.grantId(), Fixtures.DEPLOYER, SVID, proofFor(bound, DpopClient.generate()));

        // then
        assertEquals(Outcome.DPOP_KEY_MISMATCH, result.outcome());
        assertNull(store.findById(bound.grantId()).orElseThrow().pickedUpAt());
    }

    @Test
    void shouldRefuseWithReasonWhenProofInvalid() {
        // given: a proof for another URL
        Grant bound = issueBoundTo(workloadKey.thumbprint());
        String proof = workloadKey.proof("GET", URI.create(Fixtures.ISSUER + "/elsewhere"), SVID);

        // when
        PickupResult result = pickup.pickUp(bound.grantId(), Fixtures.DEPLOYER, SVID,
                new DpopPresentation(proof, "GET", pickupUrl(bound)));

        // then
        assertEquals(Outcome.DPOP_PROOF_INVALID, result.outcome());
        assertNotNull(result.detail());
    }

    @Test
    void shouldBindToProvenKeyWhenRequestDeclaredNoneButPickupCarriesProof() throws Exception {
        // when
        PickupResult result = pickup.pickUp(grant.grantId(), Fixtures.DEPLOYER, SVID, proofFor(grant, workloadKey));

        // then
        assertEquals(Outcome.ISSUED, result.outcome());
        assertEquals(workloadKey.thumbprint(), SignedJWT.parse(jwt(result).token()).getJWTClaimsSet()
                .getJSONObjectClaim("cnf").get("jkt"));
    }

    @Test
    void shouldCreateLoginValidUntilGrantExpiryWhenPostgresGrantPickedUp() {
        // given
        Grant login = issuePostgres("r-pg");

        // when
        PickupResult result = pickup.pickUp(login.grantId(), Fixtures.DEPLOYER, SVID, null);

        // then
        assertEquals(Outcome.ISSUED, result.outcome());
        PostgresLogin credential = (PostgresLogin) result.credential();
        assertEquals(PostgresAccess.roleName(login.credentialId()), credential.username());
        assertEquals(new PostgresRoles.PostgresEndpoint("db.internal", 5432, "orders"), credential.endpoint());
        assertTrue(credential.password().length() >= 32);
        InMemoryPostgresRoles.Role role = postgres.roles().get(credential.username());
        assertEquals(credential.password(), role.password());
        assertEquals(login.expiresAt(), role.validUntil());
        assertEquals(login.postgresAccess(), role.access());
        assertFalse(credential.toString().contains(credential.password()), "the password is never printed");
    }

    @Test
    void shouldCreateNoSecondLoginWhenPostgresGrantPickedUpTwice() {
        // given
        Grant login = issuePostgres("r-pg");
        pickup.pickUp(login.grantId(), Fixtures.DEPLOYER, SVID, null);

        // when
        PickupResult second = pickup.pickUp(login.grantId(), Fixtures.DEPLOYER, SVID, null);

        // then
        assertEquals(Outcome.ALREADY_PICKED_UP, second.outcome());
        assertEquals(1, postgres.roles().size());
    }

    @Test
    void shouldLeaveGrantUntouchedWhenTargetUnreachableAtPickup() {
        // given
        Grant login = issuePostgres("r-pg");
        postgres.unreachable(true);

        // when
        PickupResult failed = pickup.pickUp(login.grantId(), Fixtures.DEPLOYER, SVID, null);
        postgres.unreachable(false);
        PickupResult retried = pickup.pickUp(login.grantId(), Fixtures.DEPLOYER, SVID, null);

        // then
        assertEquals(Outcome.TARGET_UNAVAILABLE, failed.outcome());
        assertEquals(Outcome.ISSUED, retried.outcome());
    }

    @Test
    void shouldDropLoginAndWithholdPasswordWhenRevokedWhileLoginWasBeingCreated() {
        // given: the revocation lands (and finds no role to drop) just as the role is created
        Grant login = issuePostgres("r-pg");
        postgres.afterCreate(() -> store.markRevoked(login.grantId(), "MANUAL", "sre", clock.instant()));

        // when
        PickupResult result = pickup.pickUp(login.grantId(), Fixtures.DEPLOYER, SVID, null);

        // then
        assertEquals(Outcome.REVOKED, result.outcome());
        assertNull(result.credential());
        assertTrue(postgres.roles().isEmpty());
    }

    @Test
    void shouldRequireDeclaredDpopKeyWhenPostgresGrantPickedUp() {
        // given
        Grant login = new GrantIssuer(store, clock, UUID::randomUUID, target -> true).issue(new ApprovedDecision("r-pg-bound",
                Fixtures.DEPLOYER, "task-42", "prod", Fixtures.postgresDecision("x").resources(), Duration.ofMinutes(15),
                null, workloadKey.thumbprint())).grant();

        // when
        PickupResult withoutProof = pickup.pickUp(login.grantId(), Fixtures.DEPLOYER, SVID, null);
        PickupResult withProof = pickup.pickUp(login.grantId(), Fixtures.DEPLOYER, SVID, proofFor(login, workloadKey));

        // then
        assertEquals(Outcome.DPOP_PROOF_REQUIRED, withoutProof.outcome());
        assertEquals(Outcome.ISSUED, withProof.outcome());
    }

    private Grant issuePostgres(String requestId) {
        return new GrantIssuer(store, clock, UUID::randomUUID, target -> true).issue(Fixtures.postgresDecision(requestId))
                .grant();
    }

    private static MintedCredential jwt(PickupResult result) {
        return (MintedCredential) result.credential();
    }

    private Grant issueBoundTo(String jkt) {
        return new GrantIssuer(store, clock, UUID::randomUUID, target -> true).issue(Fixtures.decisionBoundTo("r-bound", jkt)).grant();
    }

    private static URI pickupUrl(Grant grant) {
        return URI.create(Fixtures.ISSUER + "/v1/grants/" + grant.grantId() + "/credential");
    }

    private static DpopPresentation proofFor(Grant grant, DpopClient key) {
        return new DpopPresentation(key.proof("GET", pickupUrl(grant), SVID), "GET", pickupUrl(grant));
    }
}
