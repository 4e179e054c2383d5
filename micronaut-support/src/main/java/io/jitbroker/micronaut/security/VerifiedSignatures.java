package io.jitbroker.micronaut.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.security.token.jwt.validator.ReactiveJsonWebTokenSignatureValidator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.reactivestreams.Publisher;

/**
 * Remembers which workload tokens have a valid signature, so that a workload calling several times
 * with the same token pays for one ES256 verification, not one per call (the verification was about
 * half of request-service's CPU under load). Only the signature is remembered: every call still
 * checks the claims (expiry, issuer, audience, SPIFFE subject). Only a byte-identical token that
 * verified is remembered, never a failure, and for no longer than its own expiry nor than
 * {@code maxAge}: a signing key withdrawn from the trust domain's JWKS stops being honoured within
 * {@code maxAge}.
 */
final class VerifiedSignatures implements ReactiveJsonWebTokenSignatureValidator<SignedJWT> {

    private final ReactiveJsonWebTokenSignatureValidator<SignedJWT> verifier;
    private final Duration maxAge;
    private final Clock clock;
    private final Cache<ByteBuffer, Instant> verifiedUntil;

    VerifiedSignatures(ReactiveJsonWebTokenSignatureValidator<SignedJWT> verifier, Duration maxAge, long maxTokens,
                       Clock clock) {
        this.verifier = verifier;
        this.maxAge = maxAge;
        this.clock = clock;
        this.verifiedUntil = Caffeine.newBuilder()
                .maximumSize(maxTokens)
                .expireAfter(Expiry.creating((ByteBuffer key, Instant until) ->
                        Duration.between(clock.instant(), until).isNegative() ? Duration.ZERO : Duration.between(clock.instant(), until)))
                .build();
    }

    @Override
    public Publisher<Boolean> validateSignature(SignedJWT token) {
        ByteBuffer key = digest(token.getParsedString());
        Instant until = key == null ? null : verifiedUntil.getIfPresent(key);
        if (until != null && clock.instant().isBefore(until)) {
            return Publishers.just(true);
        }
        return Publishers.then(verifier.validateSignature(token), valid -> {
            if (Boolean.TRUE.equals(valid) && key != null) {
                rememberUntil(token).ifPresent(expiry -> verifiedUntil.put(key, expiry));
            }
        });
    }

    private Optional<Instant> rememberUntil(SignedJWT token) {
        try {
            Date expiration = token.getJWTClaimsSet().getExpirationTime();
            if (expiration == null) {
                return Optional.empty(); // never valid anyway (WorkloadTokenValidator)
            }
            Instant cap = clock.instant().plus(maxAge);
            Instant expiry = expiration.toInstant();
            return Optional.of(expiry.isBefore(cap) ? expiry : cap);
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    /** SHA-256 of the whole compact token: the key is small, and only the same bytes hit. */
    private static ByteBuffer digest(String compactToken) {
        if (compactToken == null) {
            return null;
        }
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(compactToken.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
