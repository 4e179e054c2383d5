package io.jitbroker.micronaut.kafka;

/** The dead letter for a record could not be written: the listener must retry the record, not skip it. */
public class DeadLetterNotWrittenException extends RuntimeException {

    public DeadLetterNotWrittenException(String message, Throwable cause) {
        super(message, cause);
    }
}
