package io.jitbroker.policy.topology;

import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.events.v1.AccessRequest;
import io.jitbroker.events.v1.Alert;
import io.jitbroker.events.v1.AlertKind;
import io.jitbroker.events.v1.ApprovalDecision;
import io.jitbroker.events.v1.DecisionOutcome;
import io.jitbroker.events.v1.DenyCode;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Resource;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.RevocationScope;
import io.jitbroker.policy.domain.AccessQuery;
import io.jitbroker.policy.domain.Decision;
import io.jitbroker.policy.domain.ResourceAccess;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Translates between the Avro events on the topics and the policy engine's own types. */
public final class DecisionEvents {

    /** Who policy-service's revocation requests say asked. */
    static final String REQUESTED_BY = "policy-service";

    private DecisionEvents() {
    }

    public static AccessQuery toQuery(AccessRequest request) {
        List<ResourceAccess> resources = request.getResources() == null ? List.of() : request.getResources().stream()
                .map(r -> new ResourceAccess(r.getType(), r.getId(), r.getActions() == null ? List.of() : r.getActions()))
                .toList();
        OptionalLong heartbeat = request.getHeartbeatIntervalSeconds() == null
                ? OptionalLong.empty()
                : OptionalLong.of(request.getHeartbeatIntervalSeconds());
        Map<String, String> claims = request.getWorkloadClaims() == null ? Map.of() : Map.copyOf(request.getWorkloadClaims());
        return new AccessQuery(request.getWorkloadId(), request.getEnvironment(), resources, request.getTtlSeconds(),
                heartbeat, request.getTaskId(), request.getJustification(), request.getBreakGlass(), claims);
    }

    public static List<ResourceAccess> toResources(List<Resource> resources) {
        return resources.stream().map(r -> new ResourceAccess(r.getType(), r.getId(), r.getActions())).toList();
    }

    /** The engine's decision as an event; a PENDING_APPROVAL one says until when it waits. */
    public static AccessDecision toDecision(AccessRequest request, Decision decision, Instant decidedAt,
                                            Instant approvalDeadline) {
        AccessDecision.Builder event = base(request, decidedAt)
                .setOutcome(DecisionOutcome.valueOf(decision.outcome().name()))
                .setGrantedResources(decision.grantedResources().stream()
                        .map(r -> Resource.newBuilder().setType(r.type()).setId(r.id()).setActions(r.actions()).build())
                        .toList())
                .setGrantedTtlSeconds(decision.grantedTtlSeconds())
                .setHeartbeatIntervalSeconds(decision.heartbeatIntervalSeconds().isPresent()
                        ? decision.heartbeatIntervalSeconds().getAsLong()
                        : null)
                .setReasons(decision.reasons())
                .setMatchedRules(decision.matchedRules())
                .setPolicyVersion(decision.policyVersion())
                .setDenyCode(decision.denyCode().map(code -> DenyCode.valueOf(code.name())).orElse(null))
                .setBreakGlass(decision.breakGlass());
        if (decision.outcome() == io.jitbroker.policy.domain.Outcome.PENDING_APPROVAL) {
            event.setApprovalDeadline(approvalDeadline);
        }
        return event.build();
    }

    /** A request closed without a grant by this service itself (denied by an SRE, or nobody decided in time). */
    public static AccessDecision closed(AccessRequest request, AccessDecision pending, DenyCode code, String reason,
                                        Instant decidedAt) {
        return base(request, decidedAt)
                .setOutcome(DecisionOutcome.DENIED)
                .setGrantedResources(List.of())
                .setGrantedTtlSeconds(0)
                .setReasons(List.of(reason))
                .setMatchedRules(pending.getMatchedRules())
                .setPolicyVersion(pending.getPolicyVersion())
                .setDenyCode(code)
                .setBreakGlass(pending.getBreakGlass())
                .build();
    }

    /** The decision made once an SRE approved: the engine's, stamped with who approved and why. */
    public static AccessDecision approved(AccessDecision decision, ApprovalDecision approval) {
        List<String> reasons = new ArrayList<>(decision.getReasons());
        reasons.add(0, "approved by " + approval.getDecidedBy() + ": " + approval.getReason());
        return AccessDecision.newBuilder(decision)
                .setOutcome(decision.getOutcome() == DecisionOutcome.PENDING_APPROVAL
                        ? DecisionOutcome.APPROVED : decision.getOutcome())
                .setApprovalDeadline(null)
                .setApprovedBy(approval.getDecidedBy())
                .setApprovalReason(approval.getReason())
                .setReasons(reasons)
                .build();
    }

    public static Alert breakGlassAlert(AccessRequest request, AccessDecision decision) {
        boolean granted = decision.getOutcome() != DecisionOutcome.DENIED;
        String summary = String.format("BREAK-GLASS %s: %s asked for %s in %s for task %s (%s s), justification: \"%s\"; "
                        + "%s under policy %s%s",
                granted ? "granted" : "denied", request.getWorkloadId(), describe(request.getResources()),
                request.getEnvironment(), request.getTaskId(), request.getTtlSeconds(), request.getJustification(),
                decision.getOutcome(), decision.getPolicyVersion(),
                granted ? ", " + decision.getGrantedTtlSeconds() + " s: " + describe(decision.getGrantedResources())
                        : ", " + decision.getReasons());
        return Alert.newBuilder()
                .setAlertId("break-glass/" + request.getRequestId())
                .setKind(granted ? AlertKind.BREAK_GLASS_GRANTED : AlertKind.BREAK_GLASS_DENIED)
                .setWorkloadId(request.getWorkloadId())
                .setRequestId(request.getRequestId())
                .setTaskId(request.getTaskId())
                .setEnvironment(request.getEnvironment())
                .setSummary(summary)
                .setRaisedAt(decision.getDecidedAt())
                .build();
    }

    /** Asks the revoker to revoke a grant that the new policy version would not give. */
    public static RevocationRequest policyChanged(GrantIssued grant, String policyVersion, String why, Instant now) {
        return RevocationRequest.newBuilder()
                .setEventId("policy-changed/" + policyVersion + "/" + grant.getGrantId())
                .setScope(RevocationScope.GRANT)
                .setWorkloadId(grant.getWorkloadId())
                .setTaskId(grant.getTaskId())
                .setGrantId(grant.getGrantId())
                .setReason(RevocationReason.POLICY_CHANGED)
                .setDetail(why)
                .setRequestedBy(REQUESTED_BY)
                .setRequestedAt(now)
                .build();
    }

    private static AccessDecision.Builder base(AccessRequest request, Instant decidedAt) {
        return AccessDecision.newBuilder()
                .setRequestId(request.getRequestId())
                .setWorkloadId(request.getWorkloadId())
                .setTaskId(request.getTaskId())
                .setEnvironment(request.getEnvironment())
                .setDpopJkt(request.getDpopJkt())
                .setDecidedAt(decidedAt);
    }

    private static String describe(List<Resource> resources) {
        return resources.stream().map(r -> r.getType() + ":" + r.getId() + r.getActions()).toList().toString();
    }
}
