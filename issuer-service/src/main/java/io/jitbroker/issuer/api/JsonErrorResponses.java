package io.jitbroker.issuer.api;

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
 * Renders every framework error (401 from security, 400 from binding, 404, 405, 415, 500) as
 * {@code {"error","message"}}, the one error shape of the API, whatever the client accepts.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class JsonErrorResponses implements ErrorResponseProcessor<ApiError> {

    @Override
    public MutableHttpResponse<ApiError> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.status();
        ApiError body = new ApiError(code(status), message(status, context));
        MutableHttpResponse<ApiError> rendered = response.body(body);
        if (context.getRequest().getMethod() == HttpMethod.HEAD) {
            return rendered.body(null);
        }
        return rendered.contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    private static String code(HttpStatus status) {
        return switch (status) {
            case UNAUTHORIZED -> "unauthorized";
            case FORBIDDEN -> "forbidden";
            case NOT_FOUND -> "not_found";
            case BAD_REQUEST -> "bad_request";
            case INTERNAL_SERVER_ERROR -> "internal_error";
            default -> status.name().toLowerCase(Locale.ROOT);
        };
    }

    private static String message(HttpStatus status, ErrorContext context) {
        if (status == HttpStatus.UNAUTHORIZED) {
            return "a valid workload bearer token is required (Authorization: Bearer <JWT-SVID>); it was missing, "
                    + "expired, not signed by the trust domain or not addressed to this service";
        }
        if (status.getCode() >= 500) {
            // Internals stay in the logs.
            return "the issuer could not complete the request";
        }
        return context.getErrors().stream()
                .map(Error::getMessage)
                .filter(message -> message != null && !message.isBlank())
                .findFirst()
                .orElse(status.getReason());
    }
}
