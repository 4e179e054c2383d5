package io.jitbroker.request.api;

import io.micronaut.serde.annotation.Serdeable;

/** Answer to POST /v1/access-requests. */
@Serdeable
public record RequestAccepted(String requestId, String status) {
}
