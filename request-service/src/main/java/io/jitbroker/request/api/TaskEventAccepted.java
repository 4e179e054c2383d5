package io.jitbroker.request.api;

import io.micronaut.serde.annotation.Serdeable;

/** Answer to POST /v1/tasks/{taskId}/events. */
@Serdeable
public record TaskEventAccepted(String eventId) {
}
