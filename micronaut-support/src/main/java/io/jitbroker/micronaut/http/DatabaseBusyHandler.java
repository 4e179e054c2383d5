package io.jitbroker.micronaut.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every database connection busy for longer than the pool's connection timeout (a burst, or a
 * database that does not answer): 503 with Retry-After, never a 500, so a client knows to come back.
 * Nothing was done for the request.
 */
@Produces
@Singleton
@Requires(classes = CannotGetJdbcConnectionException.class)
public class DatabaseBusyHandler implements ExceptionHandler<CannotGetJdbcConnectionException, HttpResponse<ApiError>> {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseBusyHandler.class);

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, CannotGetJdbcConnectionException exception) {
        LOG.warn("{} {}: no database connection: {}", request.getMethodName(), request.getPath(), exception.getMessage());
        return ApiExceptionHandler.unavailable(new ApiError("unavailable", "the service is busy; nothing was done, retry in a second"));
    }
}
