package io.jitbroker.issuer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jitbroker.issuer.support.DpopClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DpopVerifierTest {

    private static final URI PICKUP = URI.create("https://issuer.test/v1/grants/g-1/credential");
    private static final String SVID = "eyJ.workload-svid.sig";

    private final MutableClock clock = new MutableClock(Instant.now());
    private final InMemoryProofReplayGuard guard = new InMemoryProofReplayGuard();
    private final DpopVerifier verifier = new DpopVerifier(guard, clock, Duration.ofSeconds(60), Duration.ofSeconds(5));
    private final DpopClient workload = DpopClient.generate();

    @Test
    void shouldReturnProofKeyThumbprintWhenPickupProofValid() {
        // given
        String proof = workload.proof("GET", PICKUP, SVID);

        // when
        String jkt = verifier.verifyPickup(Fixtures.DEPLOYER, SVID, new DpopPresentation(proof, "GET", PICKUP));

        // then
        assertEquals(workload.thumbprint(), jkt);
    }

    @Test
    void shouldRefuseWhenProofReplayed() {
        // given: a proof already used once
        String proof = workload.proof("GET", PICKUP, SVID);
        verifier.verifyPickup(Fixtures.DEPLOYER, SVID, new DpopPresentation(proof, "GET", PICKUP));

        // when / then
        InvalidDpopProofException e = assertThrows(InvalidDpopProofException.class,
                () -> verifier.verifyPickup(Fixtures.DEPLOYER, SVID, new DpopPresentation(proof, "GET", PICKUP)));
        assertTrue(e.getMessage().contains("already used"), e.getMessage());
    }

    @Test
    void shouldRefuseWhenProofMadeForAnotherMethod() {
        // given
        String proof = workload.proof("POST", PICKUP, SVID);

        // when / then
        assertRefused(proof, "GET", PICKUP, SVID);
    }

    @Test
    void shouldRefuseWhenProofMadeForAnotherUrl() {
        // given
        String proof = workload.proof("GET", URI.create("https://issuer.test/v1/grants/g-2/credential"), SVID);

        // when / then
        assertRefused(proof, "GET", PICKUP, SVID);
    }

    @Test
    void shouldRefuseWhenProofIssuedTooLongAgo() {
        // given
        String proof = workload.proof("GET", PICKUP, SVID,
                claims -> claims.issueTime(Date.from(Instant.now().minusSeconds(120))));

        // when / then
        assertRefused(proof, "GET", PICKUP, SVID);
    }

    @Test
    void shouldRefuseWhenProofIssuedInTheFuture() {
        // given
        String proof = workload.proof("GET", PICKUP, SVID,
                claims -> claims.issueTime(Date.from(Instant.now().plusSeconds(60))));

        // when / then
        assertRefused(proof, "GET", PICKUP, SVID);
    }

    @Test
    void shouldRefuseWhenProofHashesAnotherToken() {
        // given: a proof made for another workload's pickup
        String proof = workload.proof("GET", PICKUP, "eyJ.another-svid.sig");

        // when / then
        assertRefused(proof, "GET", PICKUP, SVID);
    }

    @Test
    void shouldRefuseWhenProofHasNoAth() {
        // given
        String proof = workload.proof("GET", PICKUP, SVID, claims -> claims.claim("ath", null));

        // when / then
        assertRefused(proof, "GET", PICKUP, SVID);
    }

    @Test
    void shouldRefuseWhenProofIsNotTypedDpopJwt() {
        // given
        String proof = workload.proofWithHeader(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                .jwk(workload.publicKey()).build(), "GET", PICKUP, SVID);

        // when / then
        assertRefused(proof, "GET", PICKUP, SVID);
    }

    @Test
    void shouldRefuseWhenProofSignedWithSharedSecret() throws Exception {
        // given: HS256, a MAC anyone holding the "key" in the header could forge
        SignedJWT mac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(workload.publicKey()).build(), claims());
        mac.sign(new MACSigner(new byte[32]));

        // when / then
        assertRefused(mac.serialize(), "GET", PICKUP, SVID);
    }

    @Test
    void shouldRefuseWhenProofIsUnsigned() {
        // given
        String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"dpop+jwt\",\"jwk\":" + workload.publicKey().toJSONString()
                + "}").toString();
        String unsigned = header + "." + Base64URL.encode(claims().toString()) + ".";

        // when / then
        assertRefused(unsigned, "GET", PICKUP, SVID);
    }

    @Test
    void shouldRefuseWhenJwkHeaderHoldsPrivateKey() throws Exception {
        // given: hand-built, since the library refuses to build such a header
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        String header = Base64URL.encode("{\"alg\":\"ES256\",\"typ\":\"dpop+jwt\",\"jwk\":" + key.toJSONString() + "}")
                .toString();
        String signingInput = header + "." + Base64URL.encode(claims().toString());
        Base64URL signature = new ECDSASigner(key).sign(new JWSHeader(JWSAlgorithm.ES256),
                signingInput.getBytes(StandardCharsets.US_ASCII));

        // when / then
        assertRefused(signingInput + "." + signature, "GET", PICKUP, SVID);
    }

    @Test
    void shouldAcceptResourceProofWhenByBoundKeyAndForThatToken() {
        // given
        URI resource = URI.create("https://orders.internal/orders");
        String credential = "eyJ.bound-credential.sig";
        String proof = workload.proof("GET", resource, credential);

        // when / then: no exception
        verifier.verifyResourceRequest(Fixtures.DEPLOYER, credential, workload.thumbprint(),
                new DpopPresentation(proof, "GET", resource));
    }

    @Test
    void shouldRefuseResourceProofWhenByAnotherKeyThanTheTokenIsBoundTo() {
        // given: the thief has the token and makes a proof with their own key
        URI resource = URI.create("https://orders.internal/orders");
        String credential = "eyJ.bound-credential.sig";
        String proof = DpopClient.generate().proof("GET", resource, credential);

        // when / then
        assertThrows(InvalidDpopProofException.class, () -> verifier.verifyResourceRequest(Fixtures.DEPLOYER, credential,
                workload.thumbprint(), new DpopPresentation(proof, "GET", resource)));
    }

    @Test
    void shouldForgetUsedProofOnlyAfterItsIatWindowWhenSwept() {
        // given
        verifier.verifyPickup(Fixtures.DEPLOYER, SVID, new DpopPresentation(workload.proof("GET", PICKUP, SVID), "GET", PICKUP));

        // when
        int early = guard.forgetExpired(clock.instant().plusSeconds(60));
        int late = guard.forgetExpired(clock.instant().plusSeconds(71));

        // then: kept for max age plus skew on both sides
        assertEquals(0, early);
        assertEquals(1, late);
    }

    private void assertRefused(String proof, String method, URI uri, String svid) {
        assertThrows(InvalidDpopProofException.class,
                () -> verifier.verifyPickup(Fixtures.DEPLOYER, svid, new DpopPresentation(proof, method, uri)));
    }

    private static JWTClaimsSet claims() {
        return new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString()).claim("htm", "GET")
                .claim("htu", PICKUP.toString()).issueTime(new Date()).claim("ath", DpopClient.ath(SVID)).build();
    }
}
