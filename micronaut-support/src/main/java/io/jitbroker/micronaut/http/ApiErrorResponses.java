package io.jitbroker.micronaut.http;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.Locale;

/**
 * Errors the framework raises itself (no such route, wrong method or media type, body too large,
 * binding errors, unexpected failures) as an {@link ApiError} in JSON, whatever the client accepts.
 * Server errors never echo the exception: it could carry SQL or internal details; they are logged.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ApiErrorResponses implements ErrorResponseProcessor<ApiError> {

    @Override
    public MutableHttpResponse<ApiError> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.status();
        MutableHttpResponse<ApiError> rendered = response.body(new ApiError(code(status), message(status, context)));
        if (context.getRequest().getMethod() == HttpMethod.HEAD) {
            return rendered.body(null);
        }
        return rendered.contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /** e.g. {@code not_found}, {@code unsupported_media_type}, {@code internal_server_error}. */
    static String code(HttpStatus status) {
        return status.getReason().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }

    private static String message(HttpStatus status, ErrorContext context) {
        if (status.getCode() >= 500) {
            return "the request could not be processed; it has been logged";
        }
        return context.getErrors().stream()
                .map(Error::getMessage)
                .filter(message -> message != null && !message.isBlank())
                .findFirst()
                .orElse(status.getReason());
    }
}
