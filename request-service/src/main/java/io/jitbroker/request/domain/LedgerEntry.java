package io.jitbroker.request.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One access request and everything that happened to it. Immutable: {@link #apply} returns the
 * entry after an event. Events may arrive late, early (a grant before its decision, an
 * enforcement before its revocation) or twice, so the status only moves forward and every
 * recorded fact is written once, by the first event that carries it.
 *
 * <p>A decision is written once too, with one exception: PENDING_APPROVAL is replaced by the final
 * decision (APPROVED or DENIED) that an SRE's approval, or its deadline passing, produces.
 *
 * @param heartbeatIntervalSeconds how often the task must report STARTED or HEARTBEAT; null when it need not
 * @param breakGlass         the workload asked for break-glass (emergency) access
 * @param dpopJkt            the DPoP key thumbprint the credential must be bound to; null when not bound
 * @param idempotencyKey     the client's Idempotency-Key, or null
 * @param fingerprint        {@link ValidAccessRequest#fingerprint()} of what was asked
 * @param decision           null until policy decides; the fields after it up to approvalReason, and decidedAt, come with it
 * @param denyCode           why it was denied, as a code; null unless DENIED
 * @param decisionBreakGlass whether policy decided it as break-glass; null until decided
 * @param approvalDeadline   set by a PENDING_APPROVAL decision, and kept after the final one
 * @param approvedBy         the SRE who approved or denied it; null unless it needed approval
 * @param grantId            set by the grant, or by a revocation or enforcement that overtook it
 * @param revocationReason   null until revoked; revocationDetail, causeEventId and revokedAt come with it
 * @param causeEventId       the task or context event that caused the revocation; null when none did
 * @param enforcementBackend null until the issuer enforced the revocation; enforcedAt comes with it
 */
public record LedgerEntry(
        String requestId, String workloadId, String taskId, String environment,
        List<RequestedResource> resources, long ttlSeconds, Long heartbeatIntervalSeconds, String justification,
        boolean breakGlass, String dpopJkt,
        String idempotencyKey, String fingerprint,
        LedgerStatus status,
        DecisionOutcome decision, List<String> decisionReasons, String policyVersion,
        List<RequestedResource> grantedResources, Long grantedTtlSeconds,
        String denyCode, Boolean decisionBreakGlass, Instant approvalDeadline, String approvedBy, String approvalReason,
        String grantId, Instant expiresAt,
        String revocationReason, String revocationDetail, String causeEventId,
        String enforcementBackend,
        Instant requestedAt, Instant decidedAt, Instant issuedAt, Instant revokedAt, Instant enforcedAt) {

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
                request.resources(), request.ttlSeconds(), request.heartbeatIntervalSeconds(), request.justification(),
                request.breakGlass(), request.dpopJkt(),
                idempotencyKey, request.fingerprint(), LedgerStatus.PENDING,
                null, null, null, null, null,
                null, null, null, null, null,
                null, null,
                null, null, null,
                null,
                requestedAt, null, null, null, null);
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
        if (event instanceof LedgerEvent.Enforced enforced) {
            return enforced(enforced);
        }
        throw new IllegalArgumentException("unsupported ledger event " + event.getClass().getName());
    }

    /** Whether this entry is break-glass: the workload asked for it, or policy decided it as one. */
    public boolean isBreakGlass() {
        return breakGlass || Boolean.TRUE.equals(decisionBreakGlass);
    }

    private LedgerEntry decided(LedgerEvent.Decided event) {
        if (!takesDecision(event.outcome())) {
            return this;
        }
        Next next = new Next(this);
        next.status = status.advanceTo(LedgerStatus.after(event.outcome()));
        next.decision = event.outcome();
        next.decisionReasons = event.reasons();
        next.policyVersion = event.policyVersion();
        next.grantedResources = event.grantedResources();
        next.grantedTtlSeconds = event.grantedTtlSeconds();
        next.denyCode = event.denyCode();
        next.decisionBreakGlass = event.breakGlass();
        // The final decision usually carries no deadline; the one the SRE had to meet stays on record.
        next.approvalDeadline = firstOf(approvalDeadline, event.approvalDeadline());
        next.approvedBy = event.approvedBy();
        next.approvalReason = event.approvalReason();
        next.decidedAt = event.decidedAt();
        return next.build();
    }

    /** The first decision, or the final one that ends a wait for approval; never anything after a final one. */
    private boolean takesDecision(DecisionOutcome offered) {
        if (decision == null) {
            return true;
        }
        return decision == DecisionOutcome.PENDING_APPROVAL && offered.isFinal();
    }

    private LedgerEntry issued(LedgerEvent.Issued event) {
        if (issuedAt != null) {
            return this;
        }
        Next next = new Next(this);
        next.status = status.advanceTo(LedgerStatus.ISSUED);
        next.grantId = firstOf(grantId, event.grantId());
        next.expiresAt = firstOf(expiresAt, event.expiresAt());
        next.issuedAt = event.issuedAt();
        return next.build();
    }

    private LedgerEntry revoked(LedgerEvent.Revoked event) {
        if (revokedAt != null) {
            return this;
        }
        Next next = new Next(this);
        next.status = status.advanceTo(LedgerStatus.REVOKED);
        next.grantId = firstOf(grantId, event.grantId());
        next.expiresAt = firstOf(expiresAt, event.expiresAt());
        next.revocationReason = event.reason();
        next.revocationDetail = event.detail();
        next.causeEventId = event.causeEventId();
        next.revokedAt = event.revokedAt();
        return next.build();
    }

    /** Records where and when the revocation was made true; the status is the revocation's to move. */
    private LedgerEntry enforced(LedgerEvent.Enforced event) {
        if (enforcedAt != null) {
            return this;
        }
        if (grantId != null && !grantId.equals(event.grantId())) {
            throw new InconsistentEventException("enforcement of grant " + event.grantId() + " names request " + requestId
                    + " whose grant is " + grantId);
        }
        Next next = new Next(this);
        next.grantId = event.grantId();
        next.enforcementBackend = event.backend();
        next.enforcedAt = event.enforcedAt();
        return next.build();
    }

    private static <T> T firstOf(T recorded, T offered) {
        return recorded != null ? recorded : offered;
    }

    /** The entry being changed, field by field: named assignments instead of a 34-argument constructor call. */
    private static final class Next {
        private final LedgerEntry from;
        private LedgerStatus status;
        private DecisionOutcome decision;
        private List<String> decisionReasons;
        private String policyVersion;
        private List<RequestedResource> grantedResources;
        private Long grantedTtlSeconds;
        private String denyCode;
        private Boolean decisionBreakGlass;
        private Instant approvalDeadline;
        private String approvedBy;
        private String approvalReason;
        private String grantId;
        private Instant expiresAt;
        private String revocationReason;
        private String revocationDetail;
        private String causeEventId;
        private String enforcementBackend;
        private Instant decidedAt;
        private Instant issuedAt;
        private Instant revokedAt;
        private Instant enforcedAt;

        private Next(LedgerEntry from) {
            this.from = from;
            status = from.status;
            decision = from.decision;
            decisionReasons = from.decisionReasons;
            policyVersion = from.policyVersion;
            grantedResources = from.grantedResources;
            grantedTtlSeconds = from.grantedTtlSeconds;
            denyCode = from.denyCode;
            decisionBreakGlass = from.decisionBreakGlass;
            approvalDeadline = from.approvalDeadline;
            approvedBy = from.approvedBy;
            approvalReason = from.approvalReason;
            grantId = from.grantId;
            expiresAt = from.expiresAt;
            revocationReason = from.revocationReason;
            revocationDetail = from.revocationDetail;
            causeEventId = from.causeEventId;
            enforcementBackend = from.enforcementBackend;
            decidedAt = from.decidedAt;
            issuedAt = from.issuedAt;
            revokedAt = from.revokedAt;
            enforcedAt = from.enforcedAt;
        }

        /** What was asked never changes: it is copied from the entry as it was. */
        private LedgerEntry build() {
            return new LedgerEntry(from.requestId, from.workloadId, from.taskId, from.environment,
                    from.resources, from.ttlSeconds, from.heartbeatIntervalSeconds, from.justification,
                    from.breakGlass, from.dpopJkt,
                    from.idempotencyKey, from.fingerprint,
                    status,
                    decision, decisionReasons, policyVersion,
                    grantedResources, grantedTtlSeconds,
                    denyCode, decisionBreakGlass, approvalDeadline, approvedBy, approvalReason,
                    grantId, expiresAt,
                    revocationReason, revocationDetail, causeEventId,
                    enforcementBackend,
                    from.requestedAt, decidedAt, issuedAt, revokedAt, enforcedAt);
        }
    }
}
