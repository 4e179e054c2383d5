package io.jitbroker.issuer.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of the {@code grants} table (V1__grants.sql, V2__grant_heartbeat_interval.sql, V4__dpop.sql,
 * V5__enforcement_announcements.sql); resources are JSON text.
 */
@MappedEntity("grants")
public record GrantRow(
        @Id UUID grantId,
        String requestId,
        UUID credentialId,
        String workloadId,
        String taskId,
        String environment,
        String resources,
        String credentialType,
        Instant issuedAt,
        Instant expiresAt,
        @Nullable Long heartbeatIntervalSeconds,
        @Nullable String dpopJkt,
        @Nullable Instant pickedUpAt,
        @Nullable Instant revokedAt,
        @Nullable String revocationReason,
        @Nullable String revocationDetail,
        @Nullable Instant enforcedAt,
        @Nullable Instant enforcementAnnouncedAt) {
}
