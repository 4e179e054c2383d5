package io.jitbroker.request.support;

import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.events.v1.DecisionOutcome;
import io.jitbroker.events.v1.DenyCode;
import io.jitbroker.events.v1.Resource;
import java.time.Instant;
import java.util.List;

/** Decisions as policy-service writes them, for one request, about the test's one database. */
public final class Decisions {

    public static final String POLICY_VERSION = "policy-v7";
    /** The reason policy gives when it asks for an approval. */
    public static final String APPROVAL_NEEDED = "writes to prod need an SRE";

    private Decisions() {
    }

    /** Built on demand: Avro checks trusted packages once, when its first record class loads. */
    public static Resource database() {
        return Resource.newBuilder().setType("postgres").setId("orders-db").setActions(List.of("read")).build();
    }

    /** A decision in prod; APPROVED and PENDING_APPROVAL grant the database for 600 s, DENIED nothing. Set the rest on the builder. */
    public static AccessDecision.Builder decision(String requestId, String workload, String taskId, DecisionOutcome outcome,
                                                  List<String> reasons, Instant at) {
        boolean grants = outcome != DecisionOutcome.DENIED;
        return AccessDecision.newBuilder()
                .setRequestId(requestId)
                .setWorkloadId(workload)
                .setTaskId(taskId)
                .setEnvironment("prod")
                .setOutcome(outcome)
                .setGrantedResources(grants ? List.of(database()) : List.of())
                .setGrantedTtlSeconds(grants ? 600 : 0)
                .setReasons(reasons)
                .setPolicyVersion(POLICY_VERSION)
                .setDecidedAt(at);
    }

    /** Policy asks an SRE to decide by {@code deadline}. */
    public static AccessDecision.Builder pendingApproval(String requestId, String workload, String taskId, Instant deadline,
                                                         Instant at) {
        return decision(requestId, workload, taskId, DecisionOutcome.PENDING_APPROVAL, List.of(APPROVAL_NEEDED), at)
                .setApprovalDeadline(deadline);
    }

    /** The final decision policy makes of an SRE's approval: APPROVED, or DENIED with APPROVAL_DENIED. */
    public static AccessDecision.Builder afterApproval(String requestId, String workload, String taskId, boolean approved,
                                                       String sre, String reason, Instant at) {
        return decision(requestId, workload, taskId, approved ? DecisionOutcome.APPROVED : DecisionOutcome.DENIED,
                List.of((approved ? "approved by " : "denied by ") + sre), at)
                .setDenyCode(approved ? null : DenyCode.APPROVAL_DENIED)
                .setApprovedBy(sre)
                .setApprovalReason(reason);
    }
}
