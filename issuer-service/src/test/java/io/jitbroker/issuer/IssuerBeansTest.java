package io.jitbroker.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.jitbroker.issuer.domain.SigningKeys;
import org.junit.jupiter.api.Test;

class IssuerBeansTest {

    private final IssuerBeans beans = new IssuerBeans();

    @Test
    void shouldSignWithConfiguredKeyWhenSigningKeySet() throws Exception {
        // given
        ECKey configured = new ECKeyGenerator(Curve.P_256).keyID("issuer-key-1").generate();

        // when
        SigningKeys keys = beans.signingKeys(configured.toJSONString());

        // then
        assertFalse(keys.isEphemeral());
        assertEquals("issuer-key-1", keys.activeKeyId());
    }

    @Test
    void shouldUseEphemeralKeyWhenSigningKeyUnset() {
        // when
        SigningKeys keys = beans.signingKeys("");

        // then
        assertTrue(keys.isEphemeral());
    }

    @Test
    void shouldRefuseToStartWithoutQuotingKeyWhenSigningKeyUnusable() throws Exception {
        // given: a private P-256 key without the kid that verifiers need to find it
        String noKid = new ECKeyGenerator(Curve.P_256).generate().toJSONString();

        // when
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> beans.signingKeys(noKid));

        // then: fail closed, no fallback to an ephemeral key, and the key material is not echoed
        assertTrue(e.getMessage().contains("JIT_ISSUER_SIGNING_KEY"), e.getMessage());
        assertFalse(e.getMessage().contains(noKid), e.getMessage());
    }
}
