package io.jitbroker.micronaut.security;

import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.security.token.jwt.validator.ReactiveJsonWebTokenSignatureValidator;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;

/**
 * Puts {@link VerifiedSignatures} in front of micronaut-security's JWT signature validator
 * ({@code jit.security.verified-signatures.max-age}, default 5 minutes; {@code max-tokens}, default
 * 100,000; {@code enabled: false} turns it off).
 */
@Singleton
@Requires(classes = ReactiveJsonWebTokenSignatureValidator.class)
@Requires(property = "jit.security.verified-signatures.enabled", notEquals = "false")
@SuppressWarnings({"rawtypes", "unchecked"})
class VerifiedSignatureCaching implements BeanCreatedEventListener<ReactiveJsonWebTokenSignatureValidator> {

    private final Duration maxAge;
    private final long maxTokens;

    VerifiedSignatureCaching(@Value("${jit.security.verified-signatures.max-age:5m}") Duration maxAge,
                             @Value("${jit.security.verified-signatures.max-tokens:100000}") long maxTokens) {
        this.maxAge = maxAge;
        this.maxTokens = maxTokens;
    }

    @Override
    public ReactiveJsonWebTokenSignatureValidator onCreated(BeanCreatedEvent<ReactiveJsonWebTokenSignatureValidator> event) {
        return new VerifiedSignatures((ReactiveJsonWebTokenSignatureValidator<SignedJWT>) event.getBean(), maxAge,
                maxTokens, Clock.systemUTC());
    }
}
