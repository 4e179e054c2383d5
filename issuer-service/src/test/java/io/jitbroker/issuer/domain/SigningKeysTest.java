package io.jitbroker.issuer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.junit.jupiter.api.Test;

class SigningKeysTest {

    @Test
    void shouldPublishConfiguredKeyWhenPrivateP256JwkGiven() throws Exception {
        // given
        ECKey configured = new ECKeyGenerator(Curve.P_256).keyID("issuer-2026-11").generate();

        // when
        SigningKeys keys = SigningKeys.fromJwk(configured.toJSONString());

        // then
        assertFalse(keys.isEphemeral());
        assertEquals("issuer-2026-11", keys.activeKeyId());
        JWKSet published = JWKSet.parse(keys.publicJwksJson());
        assertEquals(configured.toPublicJWK(), published.getKeyByKeyId("issuer-2026-11"));
        assertFalse(keys.publicJwksJson().contains(configured.getD().toString()), "private part must not be published");
    }

    @Test
    void shouldRefuseWhenJwkIsPublicOnly() throws Exception {
        // given
        ECKey publicOnly = new ECKeyGenerator(Curve.P_256).keyID("k").generate().toPublicJWK();

        // when / then
        assertThrows(IllegalArgumentException.class, () -> SigningKeys.fromJwk(publicOnly.toJSONString()));
    }

    @Test
    void shouldRefuseWhenCurveIsNotP256() throws Exception {
        // given
        ECKey p384 = new ECKeyGenerator(Curve.P_384).keyID("k").generate();

        // when / then
        assertThrows(IllegalArgumentException.class, () -> SigningKeys.fromJwk(p384.toJSONString()));
    }

    @Test
    void shouldRefuseWhenKidMissing() throws Exception {
        // given
        ECKey noKid = new ECKeyGenerator(Curve.P_256).generate();

        // when / then
        assertThrows(IllegalArgumentException.class, () -> SigningKeys.fromJwk(noKid.toJSONString()));
    }

    @Test
    void shouldRefuseWithoutQuotingKeyWhenJwkIsRsa() throws Exception {
        // given
        String rsa = new RSAKeyGenerator(2048).keyID("k").generate().toJSONString();

        // when
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SigningKeys.fromJwk(rsa));

        // then
        assertTrue(e.getMessage().contains("EC"), e.getMessage());
        assertFalse(e.getMessage().contains("\"d\""), e.getMessage());
    }

    @Test
    void shouldUseFreshKeyWhenEphemeral() {
        // when
        SigningKeys keys = SigningKeys.ephemeral();

        // then
        assertTrue(keys.isEphemeral());
        assertTrue(keys.verifierFor(keys.activeKeyId()).isPresent());
        assertTrue(keys.verifierFor("someone-else").isEmpty());
    }
}
