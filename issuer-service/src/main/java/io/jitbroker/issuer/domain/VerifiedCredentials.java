package io.jitbroker.issuer.domain;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

/**
 * Credentials whose signature this instance has verified or made itself, so that introspecting a
 * credential costs no ES256 verification when this instance minted it and one in all otherwise, not
 * one per call (verifications were half of issuer-service's CPU under load, and a fifth still when
 * each credential was introspected about once). Only a byte-identical token is remembered, only after
 * it verified or was signed here, and never past its own expiry; the signing key is still looked up
 * on every call, so a key taken out of service stops being honoured at once. Everything else (grant,
 * revocation, DPoP proof) is checked on every call.
 */
public final class VerifiedCredentials {

    /** About 100 bytes each. */
    public static final long DEFAULT_MAX_CREDENTIALS = 100_000;

    private final Cache<ByteBuffer, Instant> verifiedUntil;

    public VerifiedCredentials(long maxCredentials) {
        this.verifiedUntil = Caffeine.newBuilder().maximumSize(maxCredentials).build();
    }

    boolean verifiedBefore(String token, Instant now) {
        Instant until = verifiedUntil.getIfPresent(digest(token));
        return until != null && now.isBefore(until);
    }

    void verified(String token, Instant expiresAt, Instant now) {
        if (expiresAt.isAfter(now)) {
            verifiedUntil.put(digest(token), expiresAt);
        }
    }

    private static ByteBuffer digest(String token) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
