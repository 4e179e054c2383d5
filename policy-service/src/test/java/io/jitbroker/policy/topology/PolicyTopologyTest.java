package io.jitbroker.policy.topology;

import static io.jitbroker.policy.topology.PolicyDriver.DEPLOYER;
import static io.jitbroker.policy.topology.PolicyDriver.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.events.v1.Alert;
import io.jitbroker.events.v1.AlertKind;
import io.jitbroker.events.v1.ContextEventType;
import io.jitbroker.events.v1.DecisionOutcome;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.DenyCode;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.RevocationScope;
import io.jitbroker.contracts.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.StreamsConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The decisions topology: live state (caps, separation, compromise), approvals, break-glass, policy change. */
class PolicyTopologyTest {

    static final String POLICY = """
            version: "v1"
            maxTtlSeconds: 3600
            environments: [dev, staging, prod]
            separation:
              - [prod, dev]
            caps:
              maxActiveGrantsPerWorkload: 1
            approvalTimeoutSeconds: 600
            breakGlass:
              maxTtlSeconds: 120
            rules:
              - id: inventory
                workload: "spiffe://dev.local/ci/deployer"
                environments: [dev, staging, prod]
                resources:
                  - type: http
                    ids: ["inventory-api"]
                    actions: [read, write]
              - id: billing-needs-approval
                workload: "spiffe://dev.local/ci/deployer"
                environments: [staging]
                resources:
                  - type: http
                    ids: ["billing-api"]
                    actions: [read]
                requireApproval: true
              - id: break-glass-payments
                workload: "spiffe://dev.local/ci/deployer"
                environments: [prod]
                breakGlass: true
                resources:
                  - type: http
                    ids: ["payments-api"]
                    actions: [read]
            """;

    /** v1 without write on the inventory API. */
    static final String POLICY_V2 = POLICY.replace("version: \"v1\"", "version: \"v2\"")
            .replace("actions: [read, write]", "actions: [read]");

    @RegisterExtension
    final PolicyDriver policy = new PolicyDriver(POLICY);

    @Test
    void shouldLetOnlyOneOfTwoRacingRequestsUnderACapOfOne() {
        // when: two requests, back to back, before any grant is issued for the first
        AccessDecision first = policy.ask(request("r-1", "staging", "inventory-api", "read").build());
        AccessDecision second = policy.ask(request("r-2", "staging", "inventory-api", "read").build());

        // then: the first reserved the only slot
        assertEquals(DecisionOutcome.APPROVED, first.getOutcome());
        assertEquals(DecisionOutcome.DENIED, second.getOutcome());
        assertEquals(DenyCode.TOO_MANY_ACTIVE_GRANTS, second.getDenyCode());
    }

    @Test
    void shouldFreeTheCapWhenTheGrantIsRevoked() {
        // given
        GrantIssued grant = policy.issue(policy.ask(request("r-1", "staging", "inventory-api", "read").build()));

        // when
        policy.revoke(grant, RevocationReason.TASK_COMPLETED);

        // then
        assertEquals(DecisionOutcome.APPROVED,
                policy.ask(request("r-2", "staging", "inventory-api", "read").build()).getOutcome());
    }

    @Test
    void shouldFreeTheCapWhenTheReservationExpires() {
        // given: approved for 300 s, never issued
        policy.ask(request("r-1", "staging", "inventory-api", "read").build());

        // when
        policy.advanceWallClock(Duration.ofSeconds(301));

        // then
        assertEquals(DecisionOutcome.APPROVED,
                policy.ask(request("r-2", "staging", "inventory-api", "read").build()).getOutcome());
    }

    @Test
    void shouldDenyAnIncompatibleEnvironmentWhileAGrantLives() {
        // given: a live grant in prod (cap raised so only separation can deny)
        policy.use(POLICY.replace("maxActiveGrantsPerWorkload: 1", "maxActiveGrantsPerWorkload: 5"));
        policy.issue(policy.ask(request("r-1", "prod", "inventory-api", "read").build()));

        // when
        AccessDecision dev = policy.ask(request("r-2", "dev", "inventory-api", "read").build());
        AccessDecision staging = policy.ask(request("r-3", "staging", "inventory-api", "read").build());

        // then
        assertEquals(DenyCode.ENVIRONMENT_SEPARATION, dev.getDenyCode());
        assertEquals(DecisionOutcome.APPROVED, staging.getOutcome(), "staging is not separated from prod here");
    }

    @Test
    void shouldDenyACompromisedWorkloadUntilItIsCleared() {
        // given
        policy.report(ContextEventType.WORKLOAD_COMPROMISED, null);

        // when
        AccessDecision whileCompromised = policy.ask(request("r-1", "staging", "inventory-api", "read").build());
        policy.report(ContextEventType.WORKLOAD_CLEARED, null);
        AccessDecision afterClearance = policy.ask(request("r-2", "staging", "inventory-api", "read").build());

        // then
        assertEquals(DenyCode.WORKLOAD_COMPROMISED, whileCompromised.getDenyCode());
        assertTrue(String.join(" ", whileCompromised.getReasons()).contains("WORKLOAD_COMPROMISED"),
                whileCompromised.getReasons().toString());
        assertEquals(DecisionOutcome.APPROVED, afterClearance.getOutcome());
    }

    @Test
    void shouldDenyOnlyTheCompromisedEnvironmentWhenTheEventNamesOne() {
        // given
        policy.use(POLICY.replace("maxActiveGrantsPerWorkload: 1", "maxActiveGrantsPerWorkload: 5"));
        policy.report(ContextEventType.IDENTITY_DISABLED, "prod");

        // then
        assertEquals(DenyCode.WORKLOAD_COMPROMISED,
                policy.ask(request("r-1", "prod", "inventory-api", "read").build()).getDenyCode());
        assertEquals(DecisionOutcome.APPROVED,
                policy.ask(request("r-2", "staging", "inventory-api", "read").build()).getOutcome());
    }

    @Test
    void shouldRaiseAnAlertAndCapTheTtlForBreakGlass() {
        // when
        AccessDecision decision = policy.ask(request("r-1", "prod", "payments-api", "read")
                .setBreakGlass(true).setJustification("INC-42: payments down, need to read the queue").build());

        // then
        assertEquals(DecisionOutcome.APPROVED, decision.getOutcome());
        assertTrue(decision.getBreakGlass());
        assertEquals(120, decision.getGrantedTtlSeconds());
        Alert alert = policy.alerts.readValue();
        assertEquals(AlertKind.BREAK_GLASS_GRANTED, alert.getKind());
        assertEquals(DEPLOYER, alert.getWorkloadId());
        assertEquals("r-1", alert.getRequestId());
        assertTrue(alert.getSummary().contains("INC-42"), alert.getSummary());
    }

    @Test
    void shouldRaiseAnAlertEvenWhenBreakGlassIsDenied() {
        // when: no break-glass rule covers staging
        AccessDecision decision = policy.ask(request("r-1", "staging", "payments-api", "read")
                .setBreakGlass(true).setJustification("INC-42: payments down, need to read the queue").build());

        // then
        assertEquals(DecisionOutcome.DENIED, decision.getOutcome());
        assertEquals(AlertKind.BREAK_GLASS_DENIED, policy.alerts.readValue().getKind());
    }

    @Test
    void shouldWaitForApprovalAndGrantWhenAnSreApproves() {
        // given
        AccessDecision pending = policy.ask(request("r-1", "staging", "billing-api", "read").build());

        // when
        AccessDecision approved = policy.approve("r-1", true, "CHG-7 reviewed");

        // then
        assertEquals(DecisionOutcome.PENDING_APPROVAL, pending.getOutcome());
        assertEquals(PolicyDriver.T0.plusSeconds(600), pending.getApprovalDeadline());
        assertEquals(DecisionOutcome.APPROVED, approved.getOutcome());
        assertEquals("spiffe://dev.local/sre/oncall", approved.getApprovedBy());
        assertEquals("CHG-7 reviewed", approved.getApprovalReason());
        assertEquals(1, approved.getGrantedResources().size());
        assertNull(approved.getApprovalDeadline());
    }

    @Test
    void shouldCountAWaitingRequestAgainstTheCapButNotAgainstItself() {
        // given: under a cap of one, a request waits for approval
        policy.ask(request("r-1", "staging", "billing-api", "read").build());

        // when
        AccessDecision meanwhile = policy.ask(request("r-2", "staging", "inventory-api", "read").build());
        AccessDecision approved = policy.approve("r-1", true, "CHG-7 reviewed");

        // then
        assertEquals(DenyCode.TOO_MANY_ACTIVE_GRANTS, meanwhile.getDenyCode());
        assertEquals(DecisionOutcome.APPROVED, approved.getOutcome());
    }

    @Test
    void shouldDenyWhenAnSreDenies() {
        // given
        policy.ask(request("r-1", "staging", "billing-api", "read").build());

        // when
        AccessDecision denied = policy.approve("r-1", false, "no change ticket");

        // then
        assertEquals(DecisionOutcome.DENIED, denied.getOutcome());
        assertEquals(DenyCode.APPROVAL_DENIED, denied.getDenyCode());
        assertTrue(denied.getReasons().get(0).contains("no change ticket"));
        assertNull(policy.approve("r-1", true, "changed my mind"), "a closed request takes no second answer");
    }

    @Test
    void shouldCloseAnUndecidedRequestAsExpired() {
        // given
        policy.ask(request("r-1", "staging", "billing-api", "read").build());

        // when
        policy.advanceWallClock(Duration.ofSeconds(599));
        boolean openBeforeDeadline = policy.decisions.isEmpty();
        policy.advanceWallClock(Duration.ofSeconds(2));

        // then
        assertTrue(openBeforeDeadline);
        AccessDecision expired = policy.decisions.readValue();
        assertEquals(DecisionOutcome.DENIED, expired.getOutcome());
        assertEquals(DenyCode.EXPIRED, expired.getDenyCode());
        assertNull(policy.approve("r-1", true, "too late"), "an expired request cannot be approved");
    }

    @Test
    void shouldRevokeWithPolicyChangedOnlyTheGrantsTheNewVersionNoLongerAllows() {
        // given: a write grant and a read grant (cap raised)
        policy.use(POLICY.replace("maxActiveGrantsPerWorkload: 1", "maxActiveGrantsPerWorkload: 5"));
        policy.advanceWallClock(Duration.ofSeconds(1));
        GrantIssued write = policy.issue(policy.ask(request("r-1", "staging", "inventory-api", "write").build()));
        policy.issue(policy.ask(request("r-2", "staging", "inventory-api", "read").build()));

        // when: v2 drops write
        policy.use(POLICY_V2.replace("maxActiveGrantsPerWorkload: 1", "maxActiveGrantsPerWorkload: 5"));
        policy.advanceWallClock(Duration.ofSeconds(1));

        // then
        RevocationRequest revoke = policy.revocationRequests.readValue();
        assertEquals(write.getGrantId(), revoke.getGrantId());
        assertEquals(RevocationScope.GRANT, revoke.getScope());
        assertEquals(RevocationReason.POLICY_CHANGED, revoke.getReason());
        assertEquals(DEPLOYER, revoke.getWorkloadId());
        assertTrue(revoke.getDetail().contains("v2"), revoke.getDetail());
        assertTrue(policy.revocationRequests.isEmpty(), "the read grant is still allowed");

        // and: the same version is not applied twice
        policy.advanceWallClock(Duration.ofSeconds(5));
        assertTrue(policy.revocationRequests.isEmpty());
    }

    @Test
    void shouldCheckAGrantThatArrivesAfterThePolicyChanged() {
        // given: decided under v1, v2 applied before the grant is issued
        policy.use(POLICY.replace("version: \"v1\"", "version: \"v0\""));
        policy.advanceWallClock(Duration.ofSeconds(1));
        AccessDecision decision = policy.ask(request("r-1", "staging", "inventory-api", "write").build());
        policy.use(POLICY_V2);
        policy.advanceWallClock(Duration.ofSeconds(1));

        // when
        GrantIssued grant = policy.issue(decision);

        // then
        assertEquals(grant.getGrantId(), policy.revocationRequests.readValue().getGrantId());
    }

    @Test
    void shouldDeadLetterUndecodableAndUnaddressableRequestsAndGoOn() {
        // given
        // at-least-once: the test driver drops what the deserialization handler produces under
        // exactly-once (the real broker writes it, see AccessRequestFlowIT)
        policy.restartWith(StreamsConfig.AT_LEAST_ONCE);

        // when
        policy.rawRequests.pipeInput("r-x", "not avro".getBytes(StandardCharsets.UTF_8));
        policy.requests.pipeInput(PolicyDriver.DEPLOYER, request("", "staging", "inventory-api", "read").build());
        policy.requests.pipeInput("r-z", request("r-z", "staging", "inventory-api", "read").build());
        AccessDecision next = policy.ask(request("r-1", "staging", "inventory-api", "read").build());

        // then
        DeadLetter undecodable = policy.deadLetters.readValue();
        DeadLetter unaddressable = policy.deadLetters.readValue();
        DeadLetter misKeyed = policy.deadLetters.readValue();
        assertEquals(Topics.ACCESS_REQUESTS.name(), undecodable.getSourceTopic());
        assertTrue(unaddressable.getReason().contains("requestId"), unaddressable.getReason());
        assertTrue(misKeyed.getReason().contains("must be keyed by its workloadId"), misKeyed.getReason());
        assertNotNull(next);
        assertEquals("r-1", next.getRequestId());
    }
}
