package io.jitbroker.policy.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Every error body the API answers.
 *
 * @param error   a stable machine code, e.g. {@code invalid_request}
 * @param message what went wrong, naming the field or the problem
 * @param line    for {@code invalid_policy}: the 1-based line of the policy document at fault, when known
 */
@Serdeable
public record ApiError(String error, String message, @Nullable Integer line) {

    public ApiError(String error, String message) {
        this(error, message, null);
    }
}
