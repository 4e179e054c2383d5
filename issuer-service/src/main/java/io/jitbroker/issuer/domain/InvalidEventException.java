package io.jitbroker.issuer.domain;

/** An event decoded fine but cannot be acted on; its message names the field and the problem. */
public class InvalidEventException extends RuntimeException {

    public InvalidEventException(String message) {
        super(message);
    }
}
