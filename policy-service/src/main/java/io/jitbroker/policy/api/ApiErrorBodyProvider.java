package io.jitbroker.policy.api;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import jakarta.inject.Singleton;
import java.util.Locale;

/**
 * Errors the framework raises itself (no such route, wrong method or media type, unexpected
 * failures) in the same {@link ApiError} format as ours. Server errors never echo the exception.
 */
@Singleton
@Replaces(JsonErrorResponseBodyProvider.class)
public class ApiErrorBodyProvider implements JsonErrorResponseBodyProvider<ApiError> {

    @Override
    public ApiError body(ErrorContext context, HttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        String code = status.getReason().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        if (status.getCode() >= 500) {
            return new ApiError(code, "the request could not be processed; it has been logged");
        }
        String message = context.getErrors().stream().map(Error::getMessage).findFirst().orElse(status.getReason());
        return new ApiError(code, message);
    }
}
