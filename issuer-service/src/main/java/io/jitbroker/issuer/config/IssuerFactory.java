package io.jitbroker.issuer.config;

import io.jitbroker.issuer.domain.CredentialMinter;
import io.jitbroker.issuer.domain.CredentialPickup;
import io.jitbroker.issuer.domain.DpopVerifier;
import io.jitbroker.issuer.domain.GrantIssuer;
import io.jitbroker.issuer.domain.GrantStore;
import io.jitbroker.issuer.domain.Introspector;
import io.jitbroker.issuer.domain.VerifiedCredentials;
import io.jitbroker.issuer.domain.MasterKey;
import io.jitbroker.issuer.domain.PostgresRoles;
import io.jitbroker.issuer.domain.ProofReplayGuard;
import io.jitbroker.issuer.domain.RevocationFreshness;
import io.jitbroker.issuer.domain.RevocationEnforcer;
import io.jitbroker.issuer.domain.SigningKeyStore;
import io.jitbroker.issuer.domain.SigningKeys;
import io.jitbroker.issuer.domain.SreWorkloads;
import io.jitbroker.issuer.persistence.JdbcPostgresRoles;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the framework-free domain classes into the application context. */
@Factory
public class IssuerFactory {

    private static final Logger LOG = LoggerFactory.getLogger(IssuerFactory.class);

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * JIT_ISSUER_MASTER_KEY (Base64 of 32 bytes). Without it the service does not start, unless the dev
     * stack opted into the public development key (JIT_ISSUER_INSECURE_DEV_MASTER_KEY=true), loudly.
     * Error messages never quote the configured value.
     */
    @Singleton
    MasterKey masterKey(@Value("${jit.issuer.master-key:}") String configured,
                        @Value("${jit.issuer.insecure-dev-master-key:false}") boolean insecureDevKeyAllowed) {
        if (configured != null && !configured.isBlank()) {
            try {
                return MasterKey.fromBase64(configured);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("JIT_ISSUER_MASTER_KEY is unusable: " + e.getMessage()
                        + " (generate one with: openssl rand -base64 32)");
            }
        }
        if (insecureDevKeyAllowed) {
            LOG.warn("INSECURE: JIT_ISSUER_MASTER_KEY is not set and JIT_ISSUER_INSECURE_DEV_MASTER_KEY=true: signing keys "
                    + "are encrypted at rest with the public development master key, i.e. as good as unencrypted. "
                    + "For a throwaway dev stack only; set JIT_ISSUER_MASTER_KEY anywhere else");
            return MasterKey.insecureDevelopmentKey();
        }
        throw new IllegalStateException("JIT_ISSUER_MASTER_KEY is not set: the issuer encrypts its signing keys at rest "
                + "with it and does not start without it. Set it to the Base64 of 32 random bytes (openssl rand -base64 "
                + "32), the same on every issuer instance; a throwaway dev stack may set "
                + "JIT_ISSUER_INSECURE_DEV_MASTER_KEY=true instead");
    }

    /**
     * Created at startup (@Context): the first instance creates a key; an instance whose master key
     * cannot open the newest key stops here, before serving anything.
     */
    @Context
    SigningKeys signingKeys(SigningKeyStore store, MasterKey masterKey, Clock clock,
                            @Value("${jit.issuer.key-rotation-interval}") Duration rotationInterval) {
        SigningKeys keys = new SigningKeys(store, masterKey, clock, rotationInterval, () -> UUID.randomUUID().toString());
        try {
            keys.start();
        } catch (SigningKeys.SigningKeyUnavailableException e) {
            throw new IllegalStateException("the issuer cannot sign: " + e.getMessage(), e);
        }
        LOG.info("signing credentials with key {}; published keys {}; rotating every {}", keys.activeKeyId(),
                keys.publishedKeyIds(), rotationInterval);
        return keys;
    }

    @Singleton
    DpopVerifier dpopVerifier(ProofReplayGuard replayGuard, Clock clock,
                              @Value("${jit.issuer.dpop.max-age}") Duration maxAge,
                              @Value("${jit.issuer.dpop.max-clock-skew}") Duration maxClockSkew) {
        return new DpopVerifier(replayGuard, clock, maxAge, maxClockSkew);
    }

    /** Read at startup (@Context): a typo in JIT_SRE_WORKLOADS stops the service rather than lock SREs out. */
    @Context
    SreWorkloads sreWorkloads(@Value("${jit.sre-workloads:}") String sreWorkloads) {
        SreWorkloads sres = SreWorkloads.fromList(sreWorkloads);
        LOG.info("{} SRE workload(s) may operate the issuer (JIT_SRE_WORKLOADS)", sres.size());
        return sres;
    }

    /** The credentials this instance signed or verified: the minter and the introspector share them. */
    @Singleton
    VerifiedCredentials verifiedCredentials() {
        return new VerifiedCredentials(VerifiedCredentials.DEFAULT_MAX_CREDENTIALS);
    }

    @Singleton
    CredentialMinter credentialMinter(SigningKeys keys, @Value("${jit.issuer.url}") String issuerUrl,
                                      VerifiedCredentials verified) {
        return new CredentialMinter(keys, issuerUrl, verified);
    }

    /**
     * The PostgreSQL targets (JIT_POSTGRES_TARGETS and JIT_POSTGRES_TARGET_<NAME>_URL, _ADMIN_USER,
     * _ADMIN_PASSWORD), read at startup (@Context): a misconfigured target stops the service.
     */
    @Context
    PostgresRoles postgresRoles(Environment environment, @Value("${jit.postgres.targets:}") String targetNames,
                                @Value("${jit.postgres.connect-timeout}") Duration connectTimeout,
                                @Value("${jit.postgres.statement-timeout}") Duration statementTimeout) {
        Map<String, PostgresTargetSettings> targets = PostgresTargetSettings.read(targetNames,
                variable -> environment.getProperty(variable, String.class));
        targets.values().forEach(target -> LOG.info("PostgreSQL target {}: {} as {}", target.name(), target.jdbcUrl(),
                target.adminUser()));
        return new JdbcPostgresRoles(targets, connectTimeout, statementTimeout);
    }

    @Singleton
    GrantIssuer grantIssuer(GrantStore store, Clock clock, PostgresRoles postgres) {
        return new GrantIssuer(store, clock, UUID::randomUUID, postgres::isConfigured);
    }

    @Singleton
    CredentialPickup credentialPickup(GrantStore store, CredentialMinter minter, PostgresRoles postgres,
                                      DpopVerifier dpop, RevocationFreshness freshness, Clock clock) {
        return new CredentialPickup(store, minter, postgres, dpop, freshness, clock);
    }

    @Singleton
    Introspector introspector(SigningKeys keys, @Value("${jit.issuer.url}") String issuerUrl, GrantStore store,
                              DpopVerifier dpop, RevocationFreshness freshness, Clock clock,
                              VerifiedCredentials verified) {
        return new Introspector(keys, issuerUrl, store, dpop, freshness, clock, verified);
    }

    @Singleton
    RevocationEnforcer revocationEnforcer(GrantStore store, PostgresRoles postgres, Clock clock) {
        return new RevocationEnforcer(store, postgres, clock);
    }
}
