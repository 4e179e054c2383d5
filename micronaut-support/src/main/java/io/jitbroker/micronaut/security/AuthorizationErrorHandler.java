package io.jitbroker.micronaut.security;

import io.jitbroker.micronaut.http.ApiError;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import jakarta.inject.Singleton;

/**
 * Security rejections in the API's error format: 401 when no valid token came with the request
 * (missing, expired, wrongly signed, wrong issuer or audience, subject not a SPIFFE ID), 403 when
 * the token is fine but the caller may not do this. Never says which check failed: that helps attackers.
 */
@Produces
@Singleton
@Requires(classes = AuthorizationException.class)
@Replaces(DefaultAuthorizationExceptionHandler.class)
public class AuthorizationErrorHandler implements ExceptionHandler<AuthorizationException, MutableHttpResponse<?>> {

    @Override
    public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException exception) {
        if (exception.isForbidden()) {
            return HttpResponse.status(HttpStatus.FORBIDDEN)
                    .body(new ApiError("forbidden", "this workload may not call " + request.getMethodName() + " " + request.getPath()));
        }
        return HttpResponse.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .body(new ApiError("unauthorized",
                        "a valid bearer JWT-SVID is required: signed by the trust domain, for this audience, unexpired, with a SPIFFE ID subject"));
    }
}
