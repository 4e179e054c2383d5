package io.jitbroker.request.api;

import io.micronaut.serde.annotation.Serdeable;

/** Answer to POST /v1/context-events. */
@Serdeable
public record ContextEventAccepted(String eventId) {
}
