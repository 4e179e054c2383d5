package io.jitbroker.revocation.topology;

import static io.jitbroker.revocation.TestEvents.grant;
import static io.jitbroker.revocation.TestEvents.grantRevocationRequest;
import static io.jitbroker.revocation.TestEvents.taskEvent;
import static io.jitbroker.revocation.TestEvents.taskRevocationRequest;
import static io.jitbroker.revocation.TestEvents.workloadRevocationRequest;
import static io.jitbroker.revocation.topology.RevocationDriver.T0;
import static io.jitbroker.revocation.topology.RevocationDriver.TTL;
import static io.jitbroker.revocation.topology.RevocationDriver.expected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.TaskEventType;
import io.jitbroker.contracts.Topics;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** POLICY_CHANGED and MANUAL: a revocation request revokes the grant, task or workload it names. */
class RevocationRequestTest {

    private static final String WORKLOAD = "spiffe://dev.local/ci/deployer";
    private static final String OTHER_WORKLOAD = "spiffe://dev.local/ci/tester";
    private static final String SRE = "spiffe://dev.local/sre/alice";

    @RegisterExtension
    final RevocationDriver revoker = new RevocationDriver();

    @Test
    void shouldRevokeWithPolicyChangedWhenPolicyServiceNamesAGrant() {
        // given
        GrantIssued grant = revoker.issue(grant("g-1", WORKLOAD, "t-1", T0, TTL));
        revoker.issue(grant("g-2", WORKLOAD, "t-1", T0, TTL));

        // when
        revoker.request(grantRevocationRequest("r-1", WORKLOAD, "g-1", RevocationReason.POLICY_CHANGED, T0));

        // then
        assertEquals(List.of(expected(grant, RevocationReason.POLICY_CHANGED,
                        "POLICY_CHANGED revocation (scope GRANT) requested by " + SRE + ": incident INC-7", "r-1", T0)),
                revoker.revoked());
        assertNotNull(revoker.store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-2"));
    }

    @Test
    void shouldRevokeWithManualWhenAnSreNamesAGrant() {
        // given
        GrantIssued grant = revoker.issue(grant("g-1", WORKLOAD, "t-1", T0, TTL));

        // when
        revoker.request(grantRevocationRequest("r-1", WORKLOAD, "g-1", RevocationReason.MANUAL, T0));

        // then
        assertEquals(List.of(expected(grant, RevocationReason.MANUAL,
                        "MANUAL revocation (scope GRANT) requested by " + SRE + ": incident INC-7", "r-1", T0)),
                revoker.revoked());
        assertEquals(1.0, revoker.revocationCount(RevocationReason.MANUAL));
    }

    @Test
    void shouldRevokeEveryGrantOfTheTaskWithManualWhenAnSreNamesATask() {
        // given
        revoker.issue(grant("g-1", WORKLOAD, "t-1", T0, TTL));
        revoker.issue(grant("g-2", WORKLOAD, "t-1", T0, TTL));
        revoker.issue(grant("g-3", WORKLOAD, "t-2", T0, TTL));

        // when
        revoker.request(taskRevocationRequest("r-1", WORKLOAD, "t-1", RevocationReason.MANUAL, T0));

        // then
        List<Revocation> revoked = revoker.revoked();
        assertEquals(List.of("g-1", "g-2"), revoked.stream().map(Revocation::getGrantId).toList());
        assertEquals("MANUAL revocation (scope TASK) requested by " + SRE + ": incident INC-7", revoked.get(0).getDetail());
        assertNotNull(revoker.store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-3"));
    }

    @Test
    void shouldRevokeEveryGrantOfTheWorkloadWithManualWhenAnSreNamesAWorkload() {
        // given
        revoker.issue(grant("g-1", WORKLOAD, "t-1", T0, TTL));
        revoker.issue(grant("g-2", WORKLOAD, "t-2", T0, TTL));
        revoker.issue(grant("g-3", OTHER_WORKLOAD, "t-1", T0, TTL));

        // when
        revoker.request(workloadRevocationRequest("r-1", WORKLOAD, RevocationReason.MANUAL, T0));

        // then
        List<Revocation> revoked = revoker.revoked();
        assertEquals(List.of("g-1", "g-2"), revoked.stream().map(Revocation::getGrantId).toList());
        assertTrue(revoked.stream().allMatch(r -> r.getReason() == RevocationReason.MANUAL && "r-1".equals(r.getCauseEventId())));
        assertNotNull(revoker.store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-3"));
    }

    @Test
    void shouldRevokeNothingAndCountWhenRequestNamesAGrantOfAnotherWorkload() {
        // given
        revoker.issue(grant("g-1", OTHER_WORKLOAD, "t-1", T0, TTL));

        // when
        revoker.request(grantRevocationRequest("r-1", WORKLOAD, "g-1", RevocationReason.MANUAL, T0));

        // then
        assertTrue(revoker.revocations.isEmpty());
        assertEquals(1.0, revoker.unknownTargets(Topics.REVOCATION_REQUESTS.name()));
        assertNotNull(revoker.store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-1"));
    }

    @Test
    void shouldRevokeNothingAndCountWhenRequestNamesATaskOfAnotherWorkload() {
        // given
        revoker.issue(grant("g-1", OTHER_WORKLOAD, "t-1", T0, TTL));

        // when
        revoker.request(taskRevocationRequest("r-1", WORKLOAD, "t-1", RevocationReason.POLICY_CHANGED, T0));

        // then
        assertTrue(revoker.revocations.isEmpty());
        assertEquals(1.0, revoker.unknownTargets(Topics.REVOCATION_REQUESTS.name()));
    }

    @Test
    void shouldCountWhenRequestNamesAnUnknownGrant() {
        // when
        revoker.request(grantRevocationRequest("r-1", WORKLOAD, "g-unknown", RevocationReason.MANUAL, T0));

        // then
        assertTrue(revoker.revocations.isEmpty());
        assertEquals(1.0, revoker.unknownTargets(Topics.REVOCATION_REQUESTS.name()));
    }

    @Test
    void shouldEmitNothingMoreWhenRequestNamesAnAlreadyRevokedGrant() {
        // given
        revoker.issue(grant("g-1", WORKLOAD, "t-1", T0, TTL));
        revoker.report(taskEvent("e-1", WORKLOAD, "t-1", TaskEventType.COMPLETED, T0));
        assertEquals(1, revoker.revoked().size());

        // when
        revoker.request(grantRevocationRequest("r-1", WORKLOAD, "g-1", RevocationReason.MANUAL, T0));
        revoker.request(grantRevocationRequest("r-1", WORKLOAD, "g-1", RevocationReason.MANUAL, T0));

        // then
        assertTrue(revoker.revocations.isEmpty());
        assertEquals(0.0, revoker.unknownTargets(Topics.REVOCATION_REQUESTS.name()), "a known revoked grant is no unknown");
    }

    @Test
    void shouldRevokeGrantOnArrivalWhenTheRequestNamingItArrivedFirst() {
        // given: the request is read directly, the grant comes through a repartition topic
        revoker.request(grantRevocationRequest("r-1", WORKLOAD, "g-1", RevocationReason.MANUAL, T0));
        assertEquals(1.0, revoker.unknownTargets(Topics.REVOCATION_REQUESTS.name()));

        // when
        GrantIssued grant = revoker.issue(grant("g-1", WORKLOAD, "t-1", T0, TTL));

        // then
        assertEquals(List.of(expected(grant, RevocationReason.MANUAL, "MANUAL revocation (scope GRANT) requested by "
                        + SRE + ": incident INC-7; it arrived before grant g-1", "r-1", T0)),
                revoker.revoked());
    }

    @Test
    void shouldRevokeOnArrivalOnlyTheTasksGrantsIssuedBeforeTheRequestWhenATaskRequestArrivedFirst() {
        // given
        revoker.request(taskRevocationRequest("r-1", WORKLOAD, "t-1", RevocationReason.POLICY_CHANGED, T0.plusSeconds(10)));

        // when
        revoker.issue(grant("g-1", WORKLOAD, "t-1", T0, TTL));
        revoker.issue(grant("g-2", WORKLOAD, "t-2", T0, TTL));
        revoker.issue(grant("g-3", WORKLOAD, "t-1", T0.plusSeconds(20), TTL));

        // then: g-2 is another task, g-3 a new grant issued after the request
        assertEquals(List.of("g-1"), revoker.revoked().stream().map(Revocation::getGrantId).toList());
    }

    @Test
    void shouldNotRevokeAnotherWorkloadsGrantOnArrivalWhenARequestNamedItsId() {
        // given
        revoker.request(grantRevocationRequest("r-1", WORKLOAD, "g-1", RevocationReason.MANUAL, T0));

        // when
        revoker.issue(grant("g-1", OTHER_WORKLOAD, "t-1", T0, TTL));

        // then
        assertTrue(revoker.revocations.isEmpty());
        assertNotNull(revoker.store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-1"));
    }

    @Test
    void shouldIgnoreARequestWhenItIsSeenTwice() {
        // given
        revoker.request(workloadRevocationRequest("r-1", WORKLOAD, RevocationReason.MANUAL, T0));

        // when: redelivered
        revoker.request(workloadRevocationRequest("r-1", WORKLOAD, RevocationReason.MANUAL, T0));

        // then: counted once
        assertEquals(1.0, revoker.unknownTargets(Topics.REVOCATION_REQUESTS.name()));
    }
}
