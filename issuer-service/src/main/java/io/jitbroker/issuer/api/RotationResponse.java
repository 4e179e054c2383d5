package io.jitbroker.issuer.api;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * The outcome of an on-demand key rotation; key ids only, never key material.
 *
 * @param kid       the key that signs from now on
 * @param createdAt when it was created (ISO-8601)
 * @param created   false when a rotation moments before had already created it
 * @param published every key id in the JWKS, newest first
 */
@Serdeable
public record RotationResponse(String kid, String createdAt, boolean created, List<String> published) {
}
