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

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, ApiException exception) {
        MutableHttpResponse<ApiError> response = HttpResponse.<ApiError>status(exception.status()).body(exception.error());
        return exception.status() == HttpStatus.SERVICE_UNAVAILABLE
                ? response.header(HttpHeaders.RETRY_AFTER, DatabaseBusyHandler.RETRY_AFTER_SECONDS)
                : response;
    }
}
