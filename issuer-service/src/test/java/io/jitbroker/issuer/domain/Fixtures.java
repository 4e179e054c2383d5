package io.jitbroker.issuer.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Decisions and grants the domain tests share. */
final class Fixtures {

    static final String ISSUER = "https://issuer.test";
    static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00.123456Z");

    static ApprovedDecision decision(String requestId) {
        return new ApprovedDecision(requestId, DEPLOYER, "task-42", "prod",
                List.of(new GrantedResource("postgres", "orders-db", List.of("read", "write")),
                        new GrantedResource("http", "https://api.internal/deploy", List.of("invoke"))),
                Duration.ofMinutes(15), null);
    }

    /** The same access, under a heartbeat. */
    static ApprovedDecision decisionWithHeartbeat(String requestId, Duration heartbeatInterval) {
        ApprovedDecision decision = decision(requestId);
        return new ApprovedDecision(requestId, decision.workloadId(), decision.taskId(), decision.environment(),
                decision.resources(), decision.ttl(), heartbeatInterval);
    }

    private Fixtures() {
    }
}
