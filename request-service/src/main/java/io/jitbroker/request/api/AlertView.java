package io.jitbroker.request.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jitbroker.request.domain.AlertRecord;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** An alert as GET /v1/alerts lists it (kind BREAK_GLASS_GRANTED or BREAK_GLASS_DENIED today). */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AlertView(String alertId, String kind, String workloadId, String requestId, String taskId,
                        String environment, String summary, Instant raisedAt) {

    static AlertView of(AlertRecord a) {
        return new AlertView(a.alertId(), a.kind(), a.workloadId(), a.requestId(), a.taskId(), a.environment(),
                a.summary(), a.raisedAt());
    }
}
