package io.jitbroker.request.kafka;

import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Resource;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationEnforced;
import io.jitbroker.request.domain.DecisionOutcome;
import io.jitbroker.request.domain.LedgerEvent;
import io.jitbroker.request.domain.RequestedResource;
import java.util.List;

/** Reads the events the ledger follows into domain events, refusing any that cannot be applied. */
final class LedgerEvents {

    private LedgerEvents() {
    }

    /** @throws InvalidEventException when the value is not the topic's type or misses an id */
    static LedgerEvent fromRecord(String topic, Object value) {
        if (value == null) {
            throw new InvalidEventException("empty value (tombstone) on " + topic);
        }
        return switch (topic) {
            case Topics.Names.ACCESS_DECISIONS -> decided(as(AccessDecision.class, topic, value));
            case Topics.Names.GRANTS -> issued(as(GrantIssued.class, topic, value));
            case Topics.Names.REVOCATIONS -> revoked(as(Revocation.class, topic, value));
            case Topics.Names.ENFORCEMENTS -> enforced(as(RevocationEnforced.class, topic, value));
            default -> throw new InvalidEventException("the ledger does not follow topic " + topic);
        };
    }

    private static LedgerEvent.Decided decided(AccessDecision d) {
        return new LedgerEvent.Decided(
                required("requestId", d.getRequestId()),
                required("workloadId", d.getWorkloadId()),
                DecisionOutcome.valueOf(d.getOutcome().name()),
                List.copyOf(d.getReasons()),
                d.getPolicyVersion(),
                d.getGrantedResources().stream().map(LedgerEvents::resource).toList(),
                d.getGrantedTtlSeconds(),
                d.getDecidedAt(),
                d.getDenyCode() == null ? null : d.getDenyCode().name(),
                d.getBreakGlass(),
                d.getApprovalDeadline(),
                d.getApprovedBy(),
                d.getApprovalReason());
    }

    private static LedgerEvent.Issued issued(GrantIssued g) {
        return new LedgerEvent.Issued(
                required("requestId", g.getRequestId()),
                required("workloadId", g.getWorkloadId()),
                required("grantId", g.getGrantId()),
                g.getIssuedAt(),
                g.getExpiresAt());
    }

    private static LedgerEvent.Revoked revoked(Revocation r) {
        return new LedgerEvent.Revoked(
                required("requestId", r.getRequestId()),
                required("workloadId", r.getWorkloadId()),
                required("grantId", r.getGrantId()),
                r.getReason().name(),
                r.getDetail(),
                r.getCauseEventId(),
                r.getExpiresAt(),
                r.getRevokedAt());
    }

    private static LedgerEvent.Enforced enforced(RevocationEnforced e) {
        return new LedgerEvent.Enforced(
                required("requestId", e.getRequestId()),
                required("workloadId", e.getWorkloadId()),
                required("grantId", e.getGrantId()),
                required("backend", e.getBackend()),
                e.getEnforcedAt());
    }

    private static RequestedResource resource(Resource r) {
        return new RequestedResource(r.getType(), r.getId(), List.copyOf(r.getActions()));
    }

    private static <T> T as(Class<T> type, String topic, Object value) {
        if (!type.isInstance(value)) {
            throw new InvalidEventException(topic + " carries " + type.getSimpleName() + " but the record holds "
                    + value.getClass().getName());
        }
        return type.cast(value);
    }

    static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidEventException(field + " is blank");
        }
        return value;
    }
}
