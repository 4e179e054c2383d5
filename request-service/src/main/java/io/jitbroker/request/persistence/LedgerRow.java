package io.jitbroker.request.persistence;

import io.jitbroker.request.domain.DecisionOutcome;
import io.jitbroker.request.domain.LedgerEntry;
import io.jitbroker.request.domain.LedgerStatus;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;
import java.util.List;

/** One row of the {@code access_request} table (see V1__ledger.sql and the migrations after it). */
@MappedEntity("access_request")
public record LedgerRow(
        @Id String requestId,
        String workloadId,
        String taskId,
        String environment,
        @TypeDef(type = DataType.JSON) List<StoredResource> resources,
        long ttlSeconds,
        @Nullable Long heartbeatIntervalSeconds,
        String justification,
        boolean breakGlass,
        @Nullable String dpopJkt,
        @Nullable String idempotencyKey,
        String requestFingerprint,
        LedgerStatus status,
        @Nullable DecisionOutcome decision,
        @Nullable @TypeDef(type = DataType.JSON) List<String> decisionReasons,
        @Nullable String policyVersion,
        @Nullable @TypeDef(type = DataType.JSON) List<StoredResource> grantedResources,
        @Nullable Long grantedTtlSeconds,
        @Nullable String denyCode,
        @Nullable Boolean decisionBreakGlass,
        @Nullable Instant approvalDeadline,
        @Nullable String approvedBy,
        @Nullable String approvalReason,
        @Nullable String grantId,
        @Nullable Instant expiresAt,
        @Nullable String revocationReason,
        @Nullable String revocationDetail,
        @Nullable String causeEventId,
        @Nullable String enforcementBackend,
        Instant requestedAt,
        @Nullable Instant decidedAt,
        @Nullable Instant issuedAt,
        @Nullable Instant revokedAt,
        @Nullable Instant enforcedAt) {

    static LedgerRow fromDomain(LedgerEntry e) {
        return new LedgerRow(e.requestId(), e.workloadId(), e.taskId(), e.environment(),
                StoredResource.fromDomain(e.resources()), e.ttlSeconds(), e.heartbeatIntervalSeconds(), e.justification(),
                e.breakGlass(), e.dpopJkt(),
                e.idempotencyKey(), e.fingerprint(), e.status(),
                e.decision(), e.decisionReasons(), e.policyVersion(),
                StoredResource.fromDomain(e.grantedResources()), e.grantedTtlSeconds(),
                e.denyCode(), e.decisionBreakGlass(), e.approvalDeadline(), e.approvedBy(), e.approvalReason(),
                e.grantId(), e.expiresAt(), e.revocationReason(), e.revocationDetail(), e.causeEventId(),
                e.enforcementBackend(),
                e.requestedAt(), e.decidedAt(), e.issuedAt(), e.revokedAt(), e.enforcedAt());
    }

    LedgerEntry toDomain() {
        return new LedgerEntry(requestId, workloadId, taskId, environment,
                StoredResource.toDomain(resources), ttlSeconds, heartbeatIntervalSeconds, justification,
                breakGlass, dpopJkt,
                idempotencyKey, requestFingerprint, status,
                decision, decisionReasons, policyVersion,
                StoredResource.toDomain(grantedResources), grantedTtlSeconds,
                denyCode, decisionBreakGlass, approvalDeadline, approvedBy, approvalReason,
                grantId, expiresAt, revocationReason, revocationDetail, causeEventId,
                enforcementBackend,
                requestedAt, decidedAt, issuedAt, revokedAt, enforcedAt);
    }
}
