package io.jitbroker.revocation.domain;

import static io.jitbroker.revocation.TestEvents.WORKLOAD;
import static io.jitbroker.revocation.TestEvents.contextEvent;
import static io.jitbroker.revocation.TestEvents.grant;
import static io.jitbroker.revocation.TestEvents.grantRevocationRequest;
import static io.jitbroker.revocation.TestEvents.inEnvironment;
import static io.jitbroker.revocation.TestEvents.taskRevocationRequest;
import static io.jitbroker.revocation.TestEvents.workloadRevocationRequest;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.events.v1.ContextEventType;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.RevocationReason;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScopesTest {

    private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(15);

    @Test
    void shouldCoverGrantsIssuedUpToTheChangeWhenAContextEventNamesNoEnvironment() {
        var change = contextEvent("c-1", WORKLOAD, ContextEventType.WORKLOAD_COMPROMISED, null, T);
        assertTrue(Scopes.covers(change, grant("g-1", "t-1", T, TTL)));
        assertTrue(Scopes.covers(change, inEnvironment(grant("g-1", "t-1", T.minusSeconds(1), TTL), "prod")));
        assertFalse(Scopes.covers(change, grant("g-1", "t-1", T.plusMillis(1), TTL)), "issued after the change");
        assertFalse(Scopes.covers(change, grant("g-1", "spiffe://dev.local/other", "t-1", T, TTL)), "another workload");
    }

    @Test
    void shouldCoverOnlyItsEnvironmentWhenAContextEventNamesOne() {
        var change = contextEvent("c-1", WORKLOAD, ContextEventType.ENVIRONMENT_CHANGED, "prod", T);
        assertTrue(Scopes.covers(change, inEnvironment(grant("g-1", "t-1", T, TTL), "prod")));
        assertFalse(Scopes.covers(change, grant("g-1", "t-1", T, TTL)));
    }

    @Test
    void shouldCoverTheNamedGrantWheneverItWasIssuedWhenARequestNamesAGrant() {
        var request = grantRevocationRequest("r-1", WORKLOAD, "g-1", RevocationReason.MANUAL, T);
        assertTrue(Scopes.covers(request, grant("g-1", "t-1", T.plusSeconds(60), TTL)));
        assertFalse(Scopes.covers(request, grant("g-2", "t-1", T, TTL)));
        assertFalse(Scopes.covers(request, grant("g-1", "spiffe://dev.local/other", "t-1", T, TTL)));
    }

    @Test
    void shouldCoverGrantsIssuedUpToTheRequestWhenARequestNamesATaskOrTheWorkload() {
        var task = taskRevocationRequest("r-1", WORKLOAD, "t-1", RevocationReason.POLICY_CHANGED, T);
        var workload = workloadRevocationRequest("r-2", WORKLOAD, RevocationReason.MANUAL, T);
        GrantIssued before = grant("g-1", "t-1", T, TTL);
        GrantIssued after = grant("g-2", "t-1", T.plusMillis(1), TTL);
        GrantIssued otherTask = grant("g-3", "t-2", T, TTL);

        assertTrue(Scopes.covers(task, before));
        assertFalse(Scopes.covers(task, after));
        assertFalse(Scopes.covers(task, otherTask));
        assertTrue(Scopes.covers(workload, otherTask));
        assertFalse(Scopes.covers(workload, after));
    }
}
