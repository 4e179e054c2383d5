package io.jitbroker.request.api;

import io.jitbroker.micronaut.http.ApiError;
import io.jitbroker.request.domain.InvalidRequestException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** A rule the request broke: 400 naming the field. */
@Produces
@Singleton
@Requires(classes = {InvalidRequestException.class, ExceptionHandler.class})
public class InvalidRequestHandler implements ExceptionHandler<InvalidRequestException, HttpResponse<ApiError>> {

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, InvalidRequestException exception) {
        return HttpResponse.badRequest(new ApiError("invalid_request", exception.getMessage()));
    }
}
