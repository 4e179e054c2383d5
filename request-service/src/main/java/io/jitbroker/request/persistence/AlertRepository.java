package io.jitbroker.request.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AlertRepository extends GenericRepository<AlertRow, String> {

    /** @return 1 when stored, 0 when an alert with this id was stored already */
    @Query("""
            INSERT INTO alerts (alert_id, kind, workload_id, request_id, task_id, environment, summary, raised_at)
            VALUES (:alertId, :kind, :workloadId, :requestId, :taskId, :environment, :summary, :raisedAt)
            ON CONFLICT (alert_id) DO NOTHING""")
    int insertIfAbsent(String alertId, String kind, String workloadId, @Nullable String requestId,
                       @Nullable String taskId, @Nullable String environment, String summary, Instant raisedAt);

    @Query("SELECT * FROM alerts ORDER BY raised_at DESC, alert_id DESC LIMIT :limit")
    List<AlertRow> findNewest(int limit);

    @Query("""
            SELECT * FROM alerts WHERE (raised_at, alert_id) < (:raisedAt, :alertId)
            ORDER BY raised_at DESC, alert_id DESC LIMIT :limit""")
    List<AlertRow> findNewestBefore(Instant raisedAt, String alertId, int limit);
}
