package io.jitbroker.chaos.check;

import io.jitbroker.contracts.DeadLetters;
import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.events.v1.AccessRequest;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.DecisionOutcome;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Resource;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationEnforced;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.events.v1.TaskEventType;
import java.time.Instant;
import java.util.List;

/** The events of one flow, as the services write them, for the ITs to put on the real topics. */
record FlowEvents(String requestId, String grantId, String workloadId, String taskId, Instant at) {

    private static final String ENVIRONMENT = "staging";

    static FlowEvents of(String name, Instant at) {
        return new FlowEvents("request-" + name, "grant-" + name, "spiffe://dev.local/load/" + name, "load-" + name, at);
    }

    AccessRequest accessRequest() {
        return AccessRequest.newBuilder().setRequestId(requestId).setWorkloadId(workloadId).setTaskId(taskId)
                .setEnvironment(ENVIRONMENT).setResources(List.of(resource())).setTtlSeconds(600)
                .setJustification("load").setRequestedAt(at).build();
    }

    AccessDecision decision(DecisionOutcome outcome) {
        boolean approved = outcome == DecisionOutcome.APPROVED;
        return AccessDecision.newBuilder().setRequestId(requestId).setWorkloadId(workloadId).setTaskId(taskId)
                .setEnvironment(ENVIRONMENT).setOutcome(outcome)
                .setGrantedResources(approved ? List.of(resource()) : List.of()).setGrantedTtlSeconds(approved ? 600 : 0)
                .setReasons(List.of("rule load allows it")).setPolicyVersion("load-v1").setDecidedAt(at.plusMillis(50))
                .build();
    }

    GrantIssued grant() {
        return GrantIssued.newBuilder().setGrantId(grantId).setRequestId(requestId).setWorkloadId(workloadId)
                .setTaskId(taskId).setEnvironment(ENVIRONMENT).setResources(List.of(resource())).setCredentialType("jwt")
                .setCredentialId("credential-" + grantId).setIssuedAt(at.plusMillis(100)).setExpiresAt(expiresAt())
                .build();
    }

    TaskEvent taskEvent(TaskEventType type) {
        return TaskEvent.newBuilder().setEventId("event-" + type + "-" + taskId).setTaskId(taskId).setWorkloadId(workloadId)
                .setType(type).setOccurredAt(at.plusMillis(400)).build();
    }

    Revocation revocation(RevocationReason reason) {
        return Revocation.newBuilder().setGrantId(grantId).setRequestId(requestId).setWorkloadId(workloadId)
                .setTaskId(taskId).setEnvironment(ENVIRONMENT).setCredentialId("credential-" + grantId).setReason(reason)
                .setDetail("task " + taskId + " ended").setExpiresAt(expiresAt()).setRevokedAt(at.plusMillis(450)).build();
    }

    RevocationEnforced enforcement(RevocationReason reason) {
        return RevocationEnforced.newBuilder().setGrantId(grantId).setRequestId(requestId).setWorkloadId(workloadId)
                .setCredentialId("credential-" + grantId).setReason(reason).setBackend("jwt-denylist")
                .setRevokedAt(at.plusMillis(450)).setEnforcedAt(at.plusMillis(470)).build();
    }

    DeadLetter deadLetter(String reason) {
        return DeadLetters.build("revocation-service.v1", Topics.TASK_EVENTS.name(), 0, 0, null, reason, at.plusMillis(500));
    }

    Instant expiresAt() {
        return at.plusSeconds(600);
    }

    private static Resource resource() {
        return Resource.newBuilder().setType("http").setId("inventory-api").setActions(List.of("read")).build();
    }
}
