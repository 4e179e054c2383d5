package io.jitbroker.issuer.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL over the {@code grants} table. Every write is conditional and reports the rows it changed. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface GrantRepository extends GenericRepository<GrantRow, UUID> {

    Optional<GrantRow> findById(UUID grantId);

    Optional<GrantRow> findByRequestId(String requestId);

    @Query("""
            INSERT INTO grants (grant_id, request_id, credential_id, workload_id, task_id, environment, resources,
                                credential_type, issued_at, expires_at, heartbeat_interval_seconds, dpop_jkt)
            VALUES (:grantId, :requestId, :credentialId, :workloadId, :taskId, :environment, :resources,
                    :credentialType, :issuedAt, :expiresAt, :heartbeatIntervalSeconds, :dpopJkt)
            ON CONFLICT (request_id) DO NOTHING""")
    int insertIfRequestIsNew(UUID grantId, String requestId, UUID credentialId, String workloadId, String taskId,
                             String environment, String resources, String credentialType,
                             Instant issuedAt, Instant expiresAt, @Nullable Long heartbeatIntervalSeconds,
                             @Nullable String dpopJkt);

    @Query("""
            UPDATE grants SET picked_up_at = :at
            WHERE grant_id = :grantId AND picked_up_at IS NULL AND revoked_at IS NULL AND expires_at > :at""")
    int markPickedUp(UUID grantId, Instant at);

    @Query("""
            UPDATE grants SET revoked_at = :revokedAt, revocation_reason = :reason, revocation_detail = :detail
            WHERE grant_id = :grantId AND revoked_at IS NULL""")
    int markRevoked(UUID grantId, String reason, String detail, Instant revokedAt);

    @Query("""
            UPDATE grants SET enforced_at = :at
            WHERE grant_id = :grantId AND revoked_at IS NOT NULL AND enforced_at IS NULL""")
    int markEnforced(UUID grantId, Instant at);

    @Query("""
            UPDATE grants SET picked_up_at = NULL
            WHERE grant_id = :grantId AND picked_up_at = :pickedUpAt""")
    int releasePickup(UUID grantId, Instant pickedUpAt);

    @Query(value = """
            SELECT * FROM grants
            WHERE revoked_at IS NOT NULL AND enforced_at IS NULL AND credential_type = :credentialType
            ORDER BY revoked_at LIMIT :limit""", nativeQuery = true)
    List<GrantRow> findUnenforcedRevocations(String credentialType, int limit);

    @Query(value = """
            SELECT * FROM grants
            WHERE enforced_at IS NOT NULL AND enforced_at < :enforcedBefore AND enforcement_announced_at IS NULL
              AND credential_type = :credentialType
            ORDER BY enforced_at LIMIT :limit""", nativeQuery = true)
    List<GrantRow> findUnannouncedEnforcements(String credentialType, Instant enforcedBefore, int limit);

    @Query("""
            UPDATE grants SET enforcement_announced_at = :at
            WHERE grant_id = :grantId AND enforcement_announced_at IS NULL""")
    int markAnnounced(UUID grantId, Instant at);
}
