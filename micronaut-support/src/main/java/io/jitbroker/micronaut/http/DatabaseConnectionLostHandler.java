package io.jitbroker.micronaut.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.exceptions.ConnectionException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pooled database connection found closed as a transaction began (PostgreSQL restarted or failed
 * over; the pool replaces such connections within seconds): 503 with Retry-After, not a 500. The
 * transaction never began, so nothing was done. Found by ./jit-broker chaos's PostgreSQL restart.
 */
@Produces
@Singleton
@Requires(classes = ConnectionException.class)
public class DatabaseConnectionLostHandler implements ExceptionHandler<ConnectionException, HttpResponse<ApiError>> {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseConnectionLostHandler.class);

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, ConnectionException exception) {
        LOG.warn("{} {}: the database connection was lost: {}", request.getMethodName(), request.getPath(),
                exception.getMessage());
        return ApiExceptionHandler.unavailable(new ApiError("unavailable",
                "the database connection was lost; nothing was done, retry in a second"));
    }
}
