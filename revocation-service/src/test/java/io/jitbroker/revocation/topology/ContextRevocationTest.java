package io.jitbroker.revocation.topology;

import static io.jitbroker.revocation.TestEvents.contextEvent;
import static io.jitbroker.revocation.TestEvents.grant;
import static io.jitbroker.revocation.TestEvents.inEnvironment;
import static io.jitbroker.revocation.TestEvents.taskEvent;
import static io.jitbroker.revocation.topology.RevocationDriver.T0;
import static io.jitbroker.revocation.topology.RevocationDriver.TTL;
import static io.jitbroker.revocation.topology.RevocationDriver.expected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.events.v1.ContextEventType;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.TaskEventType;
import io.jitbroker.contracts.Topics;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CONTEXT_CHANGED: a context event revokes its workload's active grants, all or one environment's. */
class ContextRevocationTest {

    private static final String WORKLOAD = "spiffe://dev.local/ci/deployer";
    private static final String OTHER_WORKLOAD = "spiffe://dev.local/ci/tester";

    @RegisterExtension
    final RevocationDriver revoker = new RevocationDriver();

    @Test
    void shouldRevokeEveryGrantOfWorkloadWithContextChangedWhenWorkloadIsCompromised() {
        // given: two tasks of the workload, and another workload
        GrantIssued first = revoker.issue(grant("g-1", WORKLOAD, "t-1", T0, TTL));
        GrantIssued second = revoker.issue(inEnvironment(grant("g-2", WORKLOAD, "t-2", T0, TTL), "prod"));
        revoker.issue(grant("g-3", OTHER_WORKLOAD, "t-3", T0, TTL));

        // when
        revoker.change(contextEvent("c-1", WORKLOAD, ContextEventType.WORKLOAD_COMPROMISED, null, T0));

        // then
        String detail = "context event WORKLOAD_COMPROMISED for workload " + WORKLOAD + " (all environments) from "
                + "anomaly-detector: token replay seen from an unknown network";
        assertEquals(List.of(
                        expected(first, RevocationReason.CONTEXT_CHANGED, detail, "c-1", T0),
                        expected(second, RevocationReason.CONTEXT_CHANGED, detail, "c-1", T0)),
                revoker.revoked());
        assertEquals(2.0, revoker.revocationCount(RevocationReason.CONTEXT_CHANGED));
        assertNotNull(revoker.store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-3"), "another workload keeps its grant");
    }

    @Test
    void shouldRevokeNothingWhenWorkloadIsCleared() {
        // given
        revoker.issue(grant("g-1", WORKLOAD, "t-1", T0, TTL));

        // when: a clearance (it only lifts a compromise for policy's future decisions)
        revoker.change(contextEvent("c-1", WORKLOAD, ContextEventType.WORKLOAD_CLEARED, null, T0));

        // then
        assertEquals(List.of(), revoker.revoked());
        assertNotNull(revoker.store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-1"), "the grant stays active");
    }

    @Test
    void shouldRevokeOnlyTheEnvironmentsGrantsWhenContextEventNamesAnEnvironment() {
        // given
        revoker.issue(grant("g-1", WORKLOAD, "t-1", T0, TTL));
        GrantIssued prod = revoker.issue(inEnvironment(grant("g-2", WORKLOAD, "t-2", T0, TTL), "prod"));

        // when
        revoker.change(contextEvent("c-1", WORKLOAD, ContextEventType.ENVIRONMENT_CHANGED, "prod", T0));

        // then
        assertEquals(List.of(expected(prod, RevocationReason.CONTEXT_CHANGED, "context event ENVIRONMENT_CHANGED for "
                        + "workload " + WORKLOAD + " (environment prod) from anomaly-detector: token replay seen from an "
                        + "unknown network", "c-1", T0)),
                revoker.revoked());
        assertNotNull(revoker.store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-1"));
    }

    @Test
    void shouldEmitNothingMoreWhenContextEventArrivesAfterTaskCompleted() {
        // given
        revoker.issue(grant("g-1", WORKLOAD, "t-1", T0, TTL));
        revoker.report(taskEvent("e-1", WORKLOAD, "t-1", TaskEventType.COMPLETED, T0));
        assertEquals(1, revoker.revoked().size());

        // when
        revoker.change(contextEvent("c-1", WORKLOAD, ContextEventType.RISK_RAISED, null, T0.plusSeconds(1)));

        // then: the workload side still indexes the grant (it is not told of revocations) and sends
        // a command for it, which the task side ignores: the grant is known, so no unknown target
        assertTrue(revoker.revocations.isEmpty());
        assertEquals(0.0, revoker.unknownTargets(Topics.CONTEXT_EVENTS.name()));
        assertEquals(1.0, revoker.revocationCount(RevocationReason.TASK_COMPLETED));
    }

    @Test
    void shouldEmitNothingAndCountWhenContextEventArrivesAfterEveryGrantExpired() {
        // given
        revoker.issue(grant("g-1", WORKLOAD, "t-1", T0, TTL));
        revoker.advanceWallClock(TTL.plusSeconds(1));
        assertEquals(List.of(RevocationReason.TTL_EXPIRED), revoker.revoked().stream().map(Revocation::getReason).toList());

        // when
        revoker.change(contextEvent("c-1", WORKLOAD, ContextEventType.WORKLOAD_COMPROMISED, null, revoker.now()));

        // then
        assertTrue(revoker.revocations.isEmpty());
        assertEquals(1.0, revoker.unknownTargets(Topics.CONTEXT_EVENTS.name()));
    }

    @Test
    void shouldRevokeGrantOnArrivalWhenItWasIssuedBeforeAContextChangeThatArrivedFirst() {
        // given: the identity is disabled at T0 + 1 s; a grant issued at T0 is still in flight
        revoker.change(contextEvent("c-1", WORKLOAD, ContextEventType.IDENTITY_DISABLED, null, T0.plusSeconds(1)));

        // when
        GrantIssued late = revoker.issue(grant("g-1", WORKLOAD, "t-1", T0, TTL));

        // then
        assertEquals(List.of(expected(late, RevocationReason.CONTEXT_CHANGED, "context event IDENTITY_DISABLED for "
                        + "workload " + WORKLOAD + " (all environments) from anomaly-detector: token replay seen from an "
                        + "unknown network; it arrived before grant g-1", "c-1", T0)),
                revoker.revoked());
    }

    @Test
    void shouldWatchGrantWhenItWasIssuedAfterTheContextChange() {
        // given
        revoker.change(contextEvent("c-1", WORKLOAD, ContextEventType.RISK_RAISED, null, T0));

        // when: policy-service re-evaluated and issued a new grant afterwards
        revoker.issue(grant("g-1", WORKLOAD, "t-1", T0.plusSeconds(1), TTL));

        // then
        assertTrue(revoker.revocations.isEmpty());
        assertNotNull(revoker.store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-1"));
    }

    @Test
    void shouldWatchGrantOfAnotherEnvironmentWhenAnEnvironmentScopedChangeArrivedFirst() {
        // given
        revoker.change(contextEvent("c-1", WORKLOAD, ContextEventType.ENVIRONMENT_CHANGED, "prod", T0.plusSeconds(1)));

        // when
        revoker.issue(grant("g-1", WORKLOAD, "t-1", T0, TTL)); // staging

        // then
        assertTrue(revoker.revocations.isEmpty());
    }

    @Test
    void shouldIgnoreContextEventWhenItIsSeenTwice() {
        // given
        revoker.issue(grant("g-1", WORKLOAD, "t-1", T0, TTL));
        revoker.change(contextEvent("c-1", WORKLOAD, ContextEventType.WORKLOAD_COMPROMISED, null, T0));
        assertEquals(1, revoker.revoked().size());

        // when: redelivered
        revoker.change(contextEvent("c-1", WORKLOAD, ContextEventType.WORKLOAD_COMPROMISED, null, T0));

        // then
        assertTrue(revoker.revocations.isEmpty());
        assertEquals(0.0, revoker.unknownTargets(Topics.CONTEXT_EVENTS.name()), "a redelivery is not an unknown target");
    }

    @Test
    void shouldEmitNothingMoreWhenGrantRevokedByContextLaterExpires() {
        // given
        revoker.issue(grant("g-1", WORKLOAD, "t-1", T0, TTL));
        revoker.change(contextEvent("c-1", WORKLOAD, ContextEventType.WORKLOAD_COMPROMISED, null, T0));
        assertEquals(List.of(RevocationReason.CONTEXT_CHANGED),
                revoker.revoked().stream().map(Revocation::getReason).toList());

        // when
        revoker.report(taskEvent("e-1", WORKLOAD, "t-1", TaskEventType.COMPLETED, T0));
        revoker.advanceWallClock(TTL.plusSeconds(1));

        // then
        assertTrue(revoker.revocations.isEmpty());
    }
}
