package io.jitbroker.issuer.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that encrypts the issuer's signing keys at rest: AES-256-GCM, a fresh 96-bit nonce per
 * encryption, the signing key's kid as associated data (a sealed key copied onto another row does not
 * open). Sealed form: version byte, nonce, ciphertext with its 128-bit tag. Never printed, never logged.
 */
public final class MasterKey {

    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte VERSION = 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private MasterKey(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /**
     * @param base64 standard Base64 of exactly 32 bytes (e.g. {@code openssl rand -base64 32})
     * @throws IllegalArgumentException naming the problem, never quoting the value
     */
    public static MasterKey fromBase64(String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new IllegalArgumentException("the master key is empty");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the master key is not valid Base64");
        }
        if (decoded.length != KEY_BYTES) {
            throw new IllegalArgumentException("the master key must be 32 bytes (AES-256), Base64-encoded; it decodes to "
                    + decoded.length + " bytes");
        }
        MasterKey masterKey = new MasterKey(decoded);
        Arrays.fill(decoded, (byte) 0);
        return masterKey;
    }

    /**
     * A fixed key everyone can derive from this source: for a throwaway development stack only, where
     * the dev launcher opts in (JIT_ISSUER_INSECURE_DEV_MASTER_KEY=true). Keys sealed with it are as good
     * as unencrypted.
     */
    public static MasterKey insecureDevelopmentKey() {
        try {
            return new MasterKey(MessageDigest.getInstance("SHA-256")
                    .digest("jit-broker insecure development master key; never use outside a dev stack"
                            .getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /** A fresh random key, for tests and for generating a value to configure. */
    public static MasterKey random() {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return new MasterKey(bytes);
    }

    public byte[] seal(byte[] plaintext, String associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] ciphertext = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_BYTES + ciphertext.length).put(VERSION).put(nonce).put(ciphertext).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM encryption is unavailable", e);
        }
    }

    /**
     * @throws WrongMasterKeyException if the data was sealed under another key, for other associated
     *                                 data, or has been altered
     */
    public byte[] open(byte[] sealed, String associatedData) {
        if (sealed == null || sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new WrongMasterKeyException("sealed data is truncated or of an unknown format");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new WrongMasterKeyException("authentication tag mismatch: another master key, or altered data");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM decryption is unavailable", e);
        }
    }

    /** The value to configure: standard Base64 of the key. Only for generating one; never log it. */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    @Override
    public String toString() {
        return "MasterKey[<redacted>]";
    }

    /** Sealed data does not open under this key: the configured master key is not the one that sealed it. */
    public static final class WrongMasterKeyException extends RuntimeException {

        public WrongMasterKeyException(String message) {
            super(message);
        }
    }
}
