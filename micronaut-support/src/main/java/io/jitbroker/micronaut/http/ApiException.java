package io.jitbroker.micronaut.http;

import io.micronaut.http.HttpStatus;

/** Ends a request with an HTTP error status and an {@link ApiError} body ({@link ApiExceptionHandler}). */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final ApiError error;

    public ApiException(HttpStatus status, ApiError error) {
        super(error.message());
        this.status = status;
        this.error = error;
    }

    public ApiException(HttpStatus status, String code, String message) {
        this(status, new ApiError(code, message));
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, code, message);
    }

    /** 400 {@code invalid_request}: the message names the field at fault. */
    public static ApiException invalid(String message) {
        return badRequest("invalid_request", message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(HttpStatus.FORBIDDEN, "forbidden", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(HttpStatus.NOT_FOUND, "not_found", message);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", message);
    }

    public HttpStatus status() {
        return status;
    }

    public ApiError error() {
        return error;
    }
}
