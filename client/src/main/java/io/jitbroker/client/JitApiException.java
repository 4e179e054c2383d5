package io.jitbroker.client;

import java.time.Duration;
import java.util.Optional;

/**
 * A service answered with an error: the HTTP status, the server's {@code error} code (e.g.
 * {@code not_pending_approval}, {@code dpop_proof_required}) and its {@code message}, which names the
 * field at fault.
 */
public class JitApiException extends JitException {

    private final int status;
    private final String error;
    private final String serverMessage;
    private final Duration retryAfter;

    /**
     * @param error      the server's error code; {@code http_<status>} when the body carried none
     * @param retryAfter the 503's Retry-After, or null
     */
    public JitApiException(String call, int status, String error, String serverMessage, Duration retryAfter) {
        super(call + " answered " + status + " " + error + ": " + serverMessage);
        this.status = status;
        this.error = error;
        this.serverMessage = serverMessage;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    /** The server's message alone, without the call and status. */
    public String serverMessage() {
        return serverMessage;
    }

    /** A 503's Retry-After: nothing was done, try again after it. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Nothing was done and the same call may succeed later (503, or 502/504 from a proxy). */
    public boolean retryable() {
        return status == 502 || status == 503 || status == 504;
    }
}
