package io.jitbroker.issuer.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class MasterKeyTest {

    private static final byte[] SECRET = "{\"kty\":\"EC\",\"d\":\"secret\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldOpenWhatItSealedWhenSameKeyAndKid() {
        // given
        MasterKey key = MasterKey.random();

        // when
        byte[] sealed = key.seal(SECRET, "kid-1");

        // then
        assertArrayEquals(SECRET, key.open(sealed, "kid-1"));
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("secret"));
    }

    @Test
    void shouldRefuseToOpenWhenKeyIsAnother() {
        // given
        byte[] sealed = MasterKey.random().seal(SECRET, "kid-1");

        // when / then
        assertThrows(MasterKey.WrongMasterKeyException.class, () -> MasterKey.random().open(sealed, "kid-1"));
    }

    @Test
    void shouldRefuseToOpenWhenSealedForAnotherKid() {
        // given: a sealed key copied onto another key's row
        MasterKey key = MasterKey.random();
        byte[] sealed = key.seal(SECRET, "kid-1");

        // when / then
        assertThrows(MasterKey.WrongMasterKeyException.class, () -> key.open(sealed, "kid-2"));
    }

    @Test
    void shouldRefuseToOpenWhenCiphertextAltered() {
        // given
        MasterKey key = MasterKey.random();
        byte[] sealed = key.seal(SECRET, "kid-1");
        sealed[sealed.length - 1] ^= 1;

        // when / then
        assertThrows(MasterKey.WrongMasterKeyException.class, () -> key.open(sealed, "kid-1"));
    }

    @Test
    void shouldUseFreshNonceWhenSealingTwice() {
        // given
        MasterKey key = MasterKey.random();

        // when
        byte[] first = key.seal(SECRET, "kid-1");
        byte[] second = key.seal(SECRET, "kid-1");

        // then
        assertFalse(java.util.Arrays.equals(first, second));
    }

    @Test
    void shouldReadConfiguredKeyWhenBase64Of32Bytes() {
        // given
        MasterKey original = MasterKey.random();
        byte[] sealed = original.seal(SECRET, "kid-1");

        // when
        MasterKey configured = MasterKey.fromBase64(original.toBase64());

        // then
        assertArrayEquals(SECRET, configured.open(sealed, "kid-1"));
    }

    @Test
    void shouldRefuseWithoutQuotingValueWhenKeyIsNot32Bytes() {
        // given
        String sixteenBytes = Base64.getEncoder().encodeToString(new byte[16]);

        // when
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MasterKey.fromBase64(sixteenBytes));

        // then
        assertTrue(e.getMessage().contains("32 bytes"), e.getMessage());
        assertFalse(e.getMessage().contains(sixteenBytes), e.getMessage());
    }

    @Test
    void shouldRefuseWhenKeyIsNotBase64() {
        // when / then
        assertThrows(IllegalArgumentException.class, () -> MasterKey.fromBase64("not base64!"));
    }

    @Test
    void shouldNotPrintKeyWhenLogged() {
        // given
        MasterKey key = MasterKey.random();

        // when / then
        assertFalse(key.toString().contains(key.toBase64()));
    }
}
