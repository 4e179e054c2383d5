package io.jitbroker.issuer.api;

import io.micronaut.serde.annotation.Serdeable;

/**
 * Every error body of this service.
 *
 * @param error   a machine code, e.g. {@code grant_not_found}
 * @param message a human explanation naming the field or problem
 */
@Serdeable
public record ApiError(String error, String message) {
}
