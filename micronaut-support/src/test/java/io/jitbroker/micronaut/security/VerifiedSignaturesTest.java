package io.jitbroker.micronaut.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.security.token.jwt.validator.ReactiveJsonWebTokenSignatureValidator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

class VerifiedSignaturesTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    private final AtomicInteger verifications = new AtomicInteger();
    private boolean signatureValid = true;
    private Instant now = NOW;
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final ReactiveJsonWebTokenSignatureValidator<SignedJWT> verifier = token -> {
        verifications.incrementAndGet();
        return Publishers.just(signatureValid);
    };
    private final VerifiedSignatures signatures = new VerifiedSignatures(verifier, Duration.ofMinutes(5), 1000, clock);

    @Test
    void shouldVerifyOnceWhenSameTokenComesAgain() throws Exception {
        // given
        SignedJWT token = token(NOW.plus(Duration.ofMinutes(2)));

        // when
        boolean first = valid(signatures.validateSignature(token));
        boolean second = valid(signatures.validateSignature(SignedJWT.parse(token.serialize())));

        // then
        assertTrue(first);
        assertTrue(second);
        assertEquals(1, verifications.get());
    }

    @Test
    void shouldVerifyAgainWhenTokenHasExpired() throws Exception {
        // given
        SignedJWT token = token(NOW.plus(Duration.ofMinutes(2)));
        valid(signatures.validateSignature(token));

        // when
        now = NOW.plus(Duration.ofMinutes(2));
        valid(signatures.validateSignature(token));

        // then
        assertEquals(2, verifications.get());
    }

    @Test
    void shouldVerifyAgainWhenMaxAgeHasPassedBeforeExpiry() throws Exception {
        // given: a key withdrawn from the JWKS is honoured no longer than max-age
        SignedJWT token = token(NOW.plus(Duration.ofHours(1)));
        valid(signatures.validateSignature(token));

        // when
        now = NOW.plus(Duration.ofMinutes(5));
        valid(signatures.validateSignature(token));

        // then
        assertEquals(2, verifications.get());
    }

    @Test
    void shouldNotRememberWhenSignatureIsInvalid() throws Exception {
        // given
        signatureValid = false;
        SignedJWT token = token(NOW.plus(Duration.ofMinutes(2)));

        // when
        boolean first = valid(signatures.validateSignature(token));
        boolean second = valid(signatures.validateSignature(token));

        // then
        assertFalse(first);
        assertFalse(second);
        assertEquals(2, verifications.get());
    }

    @Test
    void shouldVerifyEachWhenTokensDiffer() throws Exception {
        // when
        valid(signatures.validateSignature(token(NOW.plus(Duration.ofMinutes(2)))));
        valid(signatures.validateSignature(token(NOW.plus(Duration.ofMinutes(3)))));

        // then
        assertEquals(2, verifications.get());
    }

    private static boolean valid(Publisher<Boolean> result) {
        return Boolean.TRUE.equals(Mono.from(result).block());
    }

    private static SignedJWT token(Instant expiresAt) throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k").build(),
                new JWTClaimsSet.Builder().subject("spiffe://dev.local/ci/deployer")
                        .expirationTime(Date.from(expiresAt)).build());
        jwt.sign(new ECDSASigner(key));
        return SignedJWT.parse(jwt.serialize());
    }
}
