package io.jitbroker.policy.topology;

import io.jitbroker.events.v1.AccessRequest;
import io.jitbroker.events.v1.ApprovalDecision;
import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import java.util.Optional;

/**
 * What makes an input record unusable (it then goes to the dead-letter topic); empty when it is fine.
 * An access request that can be addressed but is otherwise wrong is not here: it is DENIED with its
 * reasons, so the requester learns the outcome.
 */
final class PolicyInputs {

    private PolicyInputs() {
    }

    static Optional<String> problemWith(String key, AccessRequest request) {
        if (request == null) {
            return Optional.of("record has no value");
        }
        return firstBlank("access request", "requestId", request.getRequestId(), "workloadId", request.getWorkloadId())
                .or(() -> keyedByWorkload(key, "access request " + request.getRequestId(), request.getWorkloadId()));
    }

    static Optional<String> problemWith(String key, ApprovalDecision approval) {
        if (approval == null) {
            return Optional.of("record has no value");
        }
        return firstBlank("approval", "requestId", approval.getRequestId(), "workloadId", approval.getWorkloadId(),
                "decidedBy", approval.getDecidedBy(), "reason", approval.getReason())
                .or(() -> keyedByWorkload(key, "approval of request " + approval.getRequestId(), approval.getWorkloadId()));
    }

    static Optional<String> problemWith(String key, GrantIssued grant) {
        if (grant == null) {
            return Optional.of("record has no value");
        }
        return firstBlank("grant", "grantId", grant.getGrantId(), "requestId", grant.getRequestId(),
                "workloadId", grant.getWorkloadId());
    }

    static Optional<String> problemWith(String key, Revocation revocation) {
        if (revocation == null) {
            return Optional.of("record has no value");
        }
        return firstBlank("revocation", "grantId", revocation.getGrantId(), "requestId", revocation.getRequestId(),
                "workloadId", revocation.getWorkloadId());
    }

    static Optional<String> problemWith(String key, ContextEvent event) {
        if (event == null) {
            return Optional.of("record has no value");
        }
        return firstBlank("context event", "workloadId", event.getWorkloadId())
                .or(() -> keyedByWorkload(key, "context event", event.getWorkloadId()));
    }

    /**
     * Inputs read as keyed must carry their workload's id as key: under another key the record sits
     * on another workload's partition, where its caps and marks are not.
     */
    private static Optional<String> keyedByWorkload(String key, String what, String workloadId) {
        return workloadId.equals(key) ? Optional.empty()
                : Optional.of(what + " of workload " + workloadId + " has key " + key + "; it must be keyed by its workloadId");
    }

    /** @param namesAndValues field name, value, field name, value, ... */
    private static Optional<String> firstBlank(String what, String... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String value = namesAndValues[i + 1];
            if (value == null || value.isBlank()) {
                return Optional.of(what + " has no " + namesAndValues[i]);
            }
        }
        return Optional.empty();
    }
}
