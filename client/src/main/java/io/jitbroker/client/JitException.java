package io.jitbroker.client;

/** Any failure of a {@link JitClient} call: the service could not be reached, or answered with an error. */
public class JitException extends RuntimeException {

    public JitException(String message, Throwable cause) {
        super(message, cause);
    }

    public JitException(String message) {
        super(message);
    }
}
