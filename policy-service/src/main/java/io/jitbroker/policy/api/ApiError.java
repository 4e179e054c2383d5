package io.jitbroker.policy.api;

import io.micronaut.serde.annotation.Serdeable;

/**
 * Every error body the API answers.
 *
 * @param error   a stable machine code, e.g. {@code invalid_request}
 * @param message what went wrong, naming the field or the problem
 */
@Serdeable
public record ApiError(String error, String message) {
}
