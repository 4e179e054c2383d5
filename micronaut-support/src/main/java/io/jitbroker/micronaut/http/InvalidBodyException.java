package io.jitbroker.micronaut.http;

import io.micronaut.http.HttpStatus;

/**
 * A request body refused as it was read ({@link StrictJsonBodyReader}): not JSON, a field of the wrong
 * type, an unknown field. A 400 like any {@link ApiException}; its own type lets a controller tell a
 * body that never reached it (an {@code @Error} route of its own, to count or log the refusal).
 */
public final class InvalidBodyException extends ApiException {

    InvalidBodyException(String code, String message) {
        super(HttpStatus.BAD_REQUEST, code, message);
    }

    /** 400 {@code invalid_request} naming the field. */
    static InvalidBodyException field(String message) {
        return new InvalidBodyException("invalid_request", message);
    }

    /** 400 {@code malformed_json}. */
    static InvalidBodyException malformedJson(String message) {
        return new InvalidBodyException(StrictJsonBodyReader.MALFORMED_JSON, message);
    }
}
