package io.jitbroker.micronaut.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.web.router.exceptions.UnsatisfiedBodyRouteException;
import jakarta.inject.Singleton;

/**
 * No body where a {@link StrictJsonBody} is required: the framework does not call the reader for an
 * empty body, so the answer is given here, the same as the reader's for a blank one (400 {@code malformed_json}).
 * Any other missing body keeps the framework's 400.
 */
@Produces
@Singleton
public class MissingBodyHandler implements ExceptionHandler<UnsatisfiedBodyRouteException, HttpResponse<ApiError>> {

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, UnsatisfiedBodyRouteException exception) {
        if (StrictJsonBody.class.isAssignableFrom(exception.getArgument().getType())) {
            return HttpResponse.badRequest(new ApiError(StrictJsonBodyReader.MALFORMED_JSON, StrictJsonBodyReader.BODY_REQUIRED));
        }
        return HttpResponse.badRequest(new ApiError(ApiErrorResponses.code(HttpStatus.BAD_REQUEST),
                exception.getMessage()));
    }
}
