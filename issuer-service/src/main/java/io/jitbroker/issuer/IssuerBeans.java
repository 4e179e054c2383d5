package io.jitbroker.issuer;

import io.jitbroker.issuer.domain.CredentialMinter;
import io.jitbroker.issuer.domain.CredentialPickup;
import io.jitbroker.issuer.domain.GrantIssuer;
import io.jitbroker.issuer.domain.GrantStore;
import io.jitbroker.issuer.domain.Introspector;
import io.jitbroker.issuer.domain.RevocationEnforcer;
import io.jitbroker.issuer.domain.SigningKeys;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the framework-free domain classes into the application context. */
@Factory
public class IssuerBeans {

    private static final Logger LOG = LoggerFactory.getLogger(IssuerBeans.class);

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * From JIT_ISSUER_SIGNING_KEY (a private EC P-256 JWK); a throwaway key, loudly, when it is unset.
     * Created at startup (@Context) so that an unusable key stops the service before it serves anything.
     */
    @Context
    SigningKeys signingKeys(@Value("${jit.issuer.signing-key:}") String signingKeyJwk) {
        if (signingKeyJwk == null || signingKeyJwk.isBlank()) {
            SigningKeys keys = SigningKeys.ephemeral();
            LOG.warn("JIT_ISSUER_SIGNING_KEY is not set: signing credentials with ephemeral key {}. Credentials will not "
                    + "survive a restart and other issuer instances will not accept them; set a private EC P-256 JWK "
                    + "for anything but development", keys.activeKeyId());
            return keys;
        }
        try {
            SigningKeys keys = SigningKeys.fromJwk(signingKeyJwk);
            LOG.info("signing credentials with configured key {}", keys.activeKeyId());
            return keys;
        } catch (IllegalArgumentException e) {
            // Fail closed: a broken key must stop the service, not silently fall back to an ephemeral one.
            throw new IllegalStateException("JIT_ISSUER_SIGNING_KEY is unusable: " + e.getMessage());
        }
    }

    @Singleton
    CredentialMinter credentialMinter(SigningKeys keys, @Value("${jit.issuer.url}") String issuerUrl) {
        return new CredentialMinter(keys, issuerUrl);
    }

    @Singleton
    GrantIssuer grantIssuer(GrantStore store, Clock clock) {
        return new GrantIssuer(store, clock, UUID::randomUUID);
    }

    @Singleton
    CredentialPickup credentialPickup(GrantStore store, CredentialMinter minter, Clock clock) {
        return new CredentialPickup(store, minter, clock);
    }

    @Singleton
    Introspector introspector(SigningKeys keys, @Value("${jit.issuer.url}") String issuerUrl, GrantStore store,
                              Clock clock) {
        return new Introspector(keys, issuerUrl, store, clock);
    }

    @Singleton
    RevocationEnforcer revocationEnforcer(GrantStore store, Clock clock) {
        return new RevocationEnforcer(store, clock);
    }
}
