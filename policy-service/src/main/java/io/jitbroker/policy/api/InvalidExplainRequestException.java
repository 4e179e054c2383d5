package io.jitbroker.policy.api;

/** An explain request the service cannot evaluate; the message names the field. */
final class InvalidExplainRequestException extends RuntimeException {

    private final String code;

    InvalidExplainRequestException(String code, String message) {
        super(message);
        this.code = code;
    }

    ApiError toError() {
        return new ApiError(code, getMessage());
    }
}
