package io.jitbroker.policy.api;

import io.micronaut.http.HttpStatus;

/** Ends a request with an HTTP error status and an {@link ApiError} body. */
final class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final ApiError error;

    ApiException(HttpStatus status, ApiError error) {
        super(error.message());
        this.status = status;
        this.error = error;
    }

    static ApiException forbidden(String message) {
        return new ApiException(HttpStatus.FORBIDDEN, new ApiError("forbidden", message));
    }

    static ApiException badRequest(String code, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, new ApiError(code, message));
    }

    HttpStatus status() {
        return status;
    }

    ApiError error() {
        return error;
    }
}
