package io.jitbroker.request.persistence;

import io.jitbroker.request.domain.AlertRecord;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** One row of the {@code alerts} table (see V4__audit_queries_dead_letters_alerts.sql). */
@MappedEntity("alerts")
public record AlertRow(
        @Id String alertId,
        String kind,
        String workloadId,
        @Nullable String requestId,
        @Nullable String taskId,
        @Nullable String environment,
        String summary,
        Instant raisedAt) {

    AlertRecord toDomain() {
        return new AlertRecord(alertId, kind, workloadId, requestId, taskId, environment, summary, raisedAt);
    }
}
