package io.jitbroker.issuer.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.issuer.domain.MasterKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class IssuerFactoryTest {

    private final IssuerFactory factory = new IssuerFactory();

    @Test
    void shouldUseConfiguredMasterKeyWhenSet() {
        // given
        MasterKey generated = MasterKey.random();
        byte[] sealed = generated.seal("private".getBytes(StandardCharsets.UTF_8), "kid");

        // when
        MasterKey configured = factory.masterKey(generated.toBase64(), false);

        // then
        assertArrayEquals("private".getBytes(StandardCharsets.UTF_8), configured.open(sealed, "kid"));
    }

    @Test
    void shouldRefuseToStartWhenMasterKeyUnsetAndNoDevOptIn() {
        // when
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> factory.masterKey("", false));

        // then
        assertTrue(e.getMessage().contains("JIT_ISSUER_MASTER_KEY is not set"), e.getMessage());
    }

    @Test
    void shouldUseDevelopmentKeyWhenDevStackOptsIn() {
        // when
        MasterKey key = factory.masterKey("", true);

        // then: the well-known one, so a restarted dev issuer still opens its keys
        byte[] sealed = MasterKey.insecureDevelopmentKey().seal(new byte[] {1}, "kid");
        assertNotNull(key.open(sealed, "kid"));
    }

    @Test
    void shouldRefuseToStartWithoutQuotingValueWhenMasterKeyMalformed() {
        // given: 31 bytes, one short
        String shortKey = Base64.getEncoder().encodeToString(new byte[31]);

        // when
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> factory.masterKey(shortKey, true));

        // then: fail closed, no fallback to the dev key, value not echoed
        assertTrue(e.getMessage().contains("JIT_ISSUER_MASTER_KEY is unusable"), e.getMessage());
        assertFalse(e.getMessage().contains(shortKey), e.getMessage());
    }
}
