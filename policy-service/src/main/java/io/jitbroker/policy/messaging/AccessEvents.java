package io.jitbroker.policy.messaging;

import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.events.v1.AccessRequest;
import io.jitbroker.events.v1.DecisionOutcome;
import io.jitbroker.events.v1.Resource;
import io.jitbroker.policy.domain.AccessQuery;
import io.jitbroker.policy.domain.Decision;
import io.jitbroker.policy.domain.ResourceAccess;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/** Translates between the Avro events on the topics and the policy engine's own types. */
final class AccessEvents {

    private AccessEvents() {
    }

    static AccessQuery toQuery(AccessRequest request) {
        List<ResourceAccess> resources = request.getResources() == null ? List.of() : request.getResources().stream()
                .map(r -> new ResourceAccess(r.getType(), r.getId(), r.getActions() == null ? List.of() : r.getActions()))
                .toList();
        OptionalLong heartbeat = request.getHeartbeatIntervalSeconds() == null
                ? OptionalLong.empty()
                : OptionalLong.of(request.getHeartbeatIntervalSeconds());
        return new AccessQuery(request.getWorkloadId(), request.getEnvironment(), resources, request.getTtlSeconds(),
                heartbeat, request.getTaskId(), request.getJustification());
    }

    static AccessDecision toDecision(AccessRequest request, Decision decision, Instant decidedAt) {
        return AccessDecision.newBuilder()
                .setRequestId(request.getRequestId())
                .setWorkloadId(request.getWorkloadId())
                .setTaskId(request.getTaskId())
                .setEnvironment(request.getEnvironment())
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
                .setDecidedAt(decidedAt)
                .build();
    }
}
