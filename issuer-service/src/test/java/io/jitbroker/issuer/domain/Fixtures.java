package io.jitbroker.issuer.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Decisions and grants the domain tests share. */
final class Fixtures {

    static final String ISSUER = "https://issuer.test";
    static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00.123456Z");
    /** Every revocation confirmed applied: "not revoked" can be trusted. */
    static final RevocationFreshness REVOCATIONS_CURRENT = grantId -> Optional.empty();

    static ApprovedDecision decision(String requestId) {
        return new ApprovedDecision(requestId, DEPLOYER, "task-42", "prod",
                List.of(new GrantedResource("http", "orders-db", List.of("read", "write")),
                        new GrantedResource("http", "https://api.internal/deploy", List.of("invoke"))),
                Duration.ofMinutes(15), null, null);
    }

    /** The same access, under a heartbeat. */
    static ApprovedDecision decisionWithHeartbeat(String requestId, Duration heartbeatInterval) {
        ApprovedDecision decision = decision(requestId);
        return new ApprovedDecision(requestId, decision.workloadId(), decision.taskId(), decision.environment(),
                decision.resources(), decision.ttl(), heartbeatInterval, null);
    }

    /** The same access, for a workload that declared a DPoP key. */
    static ApprovedDecision decisionBoundTo(String requestId, String dpopJkt) {
        ApprovedDecision decision = decision(requestId);
        return new ApprovedDecision(requestId, decision.workloadId(), decision.taskId(), decision.environment(),
                decision.resources(), decision.ttl(), null, dpopJkt);
    }

    /** Postgres access on the orders-db target: SELECT on public.orders. */
    static ApprovedDecision postgresDecision(String requestId) {
        return new ApprovedDecision(requestId, DEPLOYER, "task-42", "prod",
                List.of(new GrantedResource("postgres", "orders-db/public.orders", List.of("SELECT"))),
                Duration.ofMinutes(15), null, null);
    }

    /** Keys on a fresh in-memory store, started as the service starts them. */
    static SigningKeys signingKeys(Clock clock) {
        SigningKeys keys = new SigningKeys(new InMemorySigningKeyStore(), MasterKey.random(), clock, Duration.ofHours(24),
                () -> UUID.randomUUID().toString());
        keys.start();
        return keys;
    }

    /** A minter with its own memory of what it signed, where no introspector shares it. */
    static CredentialMinter minter(SigningKeys keys) {
        return new CredentialMinter(keys, ISSUER, new VerifiedCredentials(100));
    }

    private Fixtures() {
    }
}
