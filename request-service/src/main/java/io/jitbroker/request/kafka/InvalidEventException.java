package io.jitbroker.request.kafka;

/** A record that decoded but cannot be accepted (wrong type for its topic, a missing id); dead-lettered. */
public final class InvalidEventException extends RuntimeException {

    public InvalidEventException(String message) {
        super(message);
    }
}
