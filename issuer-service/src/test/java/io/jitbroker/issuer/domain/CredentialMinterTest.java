package io.jitbroker.issuer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jitbroker.issuer.support.DpopClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CredentialMinterTest {

    private final SigningKeys keys = Fixtures.signingKeys(new MutableClock(Fixtures.T0));
    private final VerifiedCredentials signedHere = new VerifiedCredentials(10);
    private final CredentialMinter minter = new CredentialMinter(keys, Fixtures.ISSUER, signedHere);
    private Grant grant;

    @BeforeEach
    void issueGrant() {
        grant = Grant.issue(UUID.randomUUID(), UUID.randomUUID(), Fixtures.decision("r-1"), Grant.JWT, Fixtures.T0,
                Fixtures.T0.plus(Duration.ofMinutes(15)).truncatedTo(ChronoUnit.SECONDS));
    }

    @Test
    void shouldCarryGrantClaimsWhenMinted() throws Exception {
        // given
        Instant pickupTime = Fixtures.T0.plusSeconds(30);

        // when
        MintedCredential credential = minter.mint(grant, pickupTime, null);

        // then
        JWTClaimsSet claims = SignedJWT.parse(credential.token()).getJWTClaimsSet();
        assertEquals(Fixtures.ISSUER, claims.getIssuer());
        assertEquals(Fixtures.DEPLOYER, claims.getSubject());
        assertEquals(List.of("orders-db", "https://api.internal/deploy"), claims.getAudience());
        assertEquals("http:orders-db:read http:orders-db:write http:https://api.internal/deploy:invoke",
                claims.getStringClaim("scope"));
        assertEquals(pickupTime.getEpochSecond(), claims.getIssueTime().toInstant().getEpochSecond());
        assertEquals(pickupTime.getEpochSecond(), claims.getNotBeforeTime().toInstant().getEpochSecond());
        assertEquals(grant.credentialId().toString(), claims.getJWTID());
        assertEquals(grant.grantId().toString(), claims.getStringClaim("grant_id"));
        assertEquals("task-42", claims.getStringClaim("task_id"));
        assertEquals("prod", claims.getStringClaim("env"));
        assertEquals(null, claims.getClaim("cnf"), "a bearer token has no confirmation");
        assertEquals("Bearer", credential.tokenType());
    }

    @Test
    void shouldCarryKeyConfirmationWhenBoundToDpopKey() throws Exception {
        // given
        String jkt = DpopClient.generate().thumbprint();

        // when
        MintedCredential credential = minter.mint(grant, Fixtures.T0, jkt);

        // then
        JWTClaimsSet claims = SignedJWT.parse(credential.token()).getJWTClaimsSet();
        assertEquals(jkt, claims.getJSONObjectClaim("cnf").get("jkt"));
        assertEquals("DPoP", credential.tokenType());
    }

    @Test
    void shouldRecordTokenExpiryOnSigningKeyWhenMinted() {
        // given
        InMemorySigningKeyStore store = new InMemorySigningKeyStore();
        SigningKeys recorded = new SigningKeys(store, MasterKey.random(), new MutableClock(Fixtures.T0),
                Duration.ofHours(24), () -> "k-1");
        recorded.start();

        // when
        Fixtures.minter(recorded).mint(grant, Fixtures.T0, null);

        // then: the key cannot be retired before this token expires (nor for a few minutes after)
        assertEquals(grant.expiresAt().plus(SigningKeys.EXPIRY_RECORDED_AHEAD), store.all().get(0).lastSignedExpiry());
    }

    @Test
    void shouldRememberTokenAsAuthenticUntilItExpiresWhenMinted() {
        // when
        String token = minter.mint(grant, Fixtures.T0, null).token();

        // then: introspecting it here needs no signature check, but only this exact token and only while it lives
        assertTrue(signedHere.verifiedBefore(token, Fixtures.T0.plusSeconds(60)));
        assertFalse(signedHere.verifiedBefore(token, grant.expiresAt()));
        assertFalse(signedHere.verifiedBefore(token + "x", Fixtures.T0.plusSeconds(60)));
    }

    @Test
    void shouldExpireExactlyWithGrantWhenMinted() throws Exception {
        // when
        MintedCredential credential = minter.mint(grant, Fixtures.T0.plusSeconds(30), null);

        // then
        assertEquals(grant.expiresAt(), SignedJWT.parse(credential.token()).getJWTClaimsSet().getExpirationTime().toInstant());
        assertEquals(grant.expiresAt(), credential.expiresAt());
    }

    @Test
    void shouldVerifyWithPublishedJwksWhenMinted() throws Exception {
        // given
        JWKSet published = JWKSet.parse(keys.publicJwksJson());

        // when
        SignedJWT jwt = SignedJWT.parse(minter.mint(grant, Fixtures.T0, null).token());

        // then
        assertEquals(JWSAlgorithm.ES256, jwt.getHeader().getAlgorithm());
        assertEquals("at+jwt", jwt.getHeader().getType().getType());
        ECKey key = (ECKey) published.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertFalse(key.isPrivate(), "the JWKS must hold public keys only");
        assertTrue(jwt.verify(new ECDSAVerifier(key)));
    }

    @Test
    void shouldNotPrintTokenWhenCredentialLogged() {
        // when
        MintedCredential credential = minter.mint(grant, Fixtures.T0, null);

        // then
        assertFalse(credential.toString().contains(credential.token()));
    }
}
