package io.jitbroker.micronaut.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Every error body of every service's API.
 *
 * @param error   a stable machine code, e.g. {@code invalid_request}
 * @param message what went wrong, naming the field or the problem
 * @param line    for a document that failed to parse (a policy bundle): the 1-based line at fault, when known
 */
@Serdeable
public record ApiError(String error, String message, @Nullable Integer line) {

    public ApiError(String error, String message) {
        this(error, message, null);
    }
}
