package io.jitbroker.request.api;

import io.jitbroker.micronaut.http.StrictJsonBody;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

/** The body of POST /v1/tasks/{taskId}/events; the type is checked by {@code TaskEventKind}, naming the allowed values. */
@Serdeable
public record TaskEventBody(
        @NotNull @Schema(allowableValues = {"STARTED", "HEARTBEAT", "COMPLETED", "FAILED", "CANCELLED"})
        String type) implements StrictJsonBody {
}
