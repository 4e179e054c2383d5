package io.jitbroker.request.api;

import io.micronaut.serde.annotation.Serdeable;

/** Answer to POST /v1/access-requests/{requestId}/approval: the approval as published, not yet the outcome. */
@Serdeable
public record ApprovalAccepted(String requestId, boolean approve, String eventId) {
}
