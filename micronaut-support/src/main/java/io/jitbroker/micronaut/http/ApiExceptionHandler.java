package io.jitbroker.micronaut.http;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Answers an {@link ApiException} with its status and body; a 503 says when to retry (Retry-After). */
@Produces
@Singleton
public class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<ApiError>> {

    static final String RETRY_AFTER_SECONDS = "1";

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, ApiException exception) {
        return exception.status() == HttpStatus.SERVICE_UNAVAILABLE
                ? unavailable(exception.error())
                : HttpResponse.<ApiError>status(exception.status()).body(exception.error());
    }

    /** 503 with Retry-After: nothing was done, and the client comes back in a second. */
    static MutableHttpResponse<ApiError> unavailable(ApiError error) {
        return HttpResponse.<ApiError>status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .body(error);
    }
}
