package io.jitbroker.request.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One access request and everything that happened to it. Immutable: {@link #apply} returns the
 * entry after an event. Events may arrive late, early (a grant before its decision) or twice, so
 * the status only moves forward and every recorded fact is written once, by the first event that
 * carries it.
 *
 * @param idempotencyKey  the client's Idempotency-Key, or null
 * @param fingerprint     {@link ValidAccessRequest#fingerprint()} of what was asked
 * @param decision        null until policy decides; the fields after it up to decidedAt come with it
 * @param grantId         set by the grant, or by a revocation that overtook it
 * @param revocationReason null until revoked; revocationDetail and revokedAt come with it
 */
public record LedgerEntry(
        String requestId, String workloadId, String taskId, String environment,
        List<RequestedResource> resources, long ttlSeconds, String justification,
        String idempotencyKey, String fingerprint,
        LedgerStatus status,
        DecisionOutcome decision, List<String> decisionReasons, String policyVersion,
        List<RequestedResource> grantedResources, Long grantedTtlSeconds,
        String grantId, Instant expiresAt,
        String revocationReason, String revocationDetail,
        Instant requestedAt, Instant decidedAt, Instant issuedAt, Instant revokedAt) {

    public LedgerEntry {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(workloadId, "workloadId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(requestedAt, "requestedAt");
        resources = List.copyOf(resources);
        decisionReasons = decisionReasons == null ? null : List.copyOf(decisionReasons);
        grantedResources = grantedResources == null ? null : List.copyOf(grantedResources);
    }

    /** A request just accepted: PENDING, nothing decided yet. */
    public static LedgerEntry pending(String requestId, String workloadId, ValidAccessRequest request,
                                      String idempotencyKey, Instant requestedAt) {
        return new LedgerEntry(requestId, workloadId, request.taskId(), request.environment(),
                request.resources(), request.ttlSeconds(), request.justification(),
                idempotencyKey, request.fingerprint(), LedgerStatus.PENDING,
                null, null, null, null, null, null, null, null, null,
                requestedAt, null, null, null);
    }

    /**
     * The entry after {@code event}; the same entry (equal) when the event adds nothing new.
     *
     * @throws InconsistentEventException when the event is about another request or workload
     */
    public LedgerEntry apply(LedgerEvent event) {
        if (!requestId.equals(event.requestId())) {
            throw new InconsistentEventException("event for request " + event.requestId() + " applied to request " + requestId);
        }
        if (!workloadId.equals(event.workloadId())) {
            throw new InconsistentEventException("event for request " + requestId + " names workload " + event.workloadId()
                    + " but the request was made by " + workloadId);
        }
        if (event instanceof LedgerEvent.Decided decided) {
            return decided(decided);
        }
        if (event instanceof LedgerEvent.Issued issued) {
            return issued(issued);
        }
        if (event instanceof LedgerEvent.Revoked revoked) {
            return revoked(revoked);
        }
        throw new IllegalArgumentException("unsupported ledger event " + event.getClass().getName());
    }

    private LedgerEntry decided(LedgerEvent.Decided event) {
        if (decidedAt != null) {
            return this;
        }
        LedgerStatus next = event.outcome() == DecisionOutcome.DENIED ? status.advanceTo(LedgerStatus.DENIED) : status;
        return new LedgerEntry(requestId, workloadId, taskId, environment, resources, ttlSeconds, justification,
                idempotencyKey, fingerprint, next,
                event.outcome(), event.reasons(), event.policyVersion(), event.grantedResources(), event.grantedTtlSeconds(),
                grantId, expiresAt, revocationReason, revocationDetail,
                requestedAt, event.decidedAt(), issuedAt, revokedAt);
    }

    private LedgerEntry issued(LedgerEvent.Issued event) {
        if (issuedAt != null) {
            return this;
        }
        return new LedgerEntry(requestId, workloadId, taskId, environment, resources, ttlSeconds, justification,
                idempotencyKey, fingerprint, status.advanceTo(LedgerStatus.ISSUED),
                decision, decisionReasons, policyVersion, grantedResources, grantedTtlSeconds,
                firstOf(grantId, event.grantId()), firstOf(expiresAt, event.expiresAt()),
                revocationReason, revocationDetail,
                requestedAt, decidedAt, event.issuedAt(), revokedAt);
    }

    private LedgerEntry revoked(LedgerEvent.Revoked event) {
        if (revokedAt != null) {
            return this;
        }
        return new LedgerEntry(requestId, workloadId, taskId, environment, resources, ttlSeconds, justification,
                idempotencyKey, fingerprint, status.advanceTo(LedgerStatus.REVOKED),
                decision, decisionReasons, policyVersion, grantedResources, grantedTtlSeconds,
                firstOf(grantId, event.grantId()), firstOf(expiresAt, event.expiresAt()),
                event.reason(), event.detail(),
                requestedAt, decidedAt, issuedAt, event.revokedAt());
    }

    private static <T> T firstOf(T recorded, T offered) {
        return recorded != null ? recorded : offered;
    }
}
