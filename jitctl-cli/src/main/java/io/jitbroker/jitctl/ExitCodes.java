package io.jitbroker.jitctl;

/**
 * jitctl's own exit codes (docs/CLIENTS.md). {@code jitctl run} exits with its command's code once
 * the command ran; these are for what happens before, and for the other commands.
 */
final class ExitCodes {

    static final int OK = 0;
    /** A flag, argument or setting is wrong or missing (picocli's own usage code). */
    static final int USAGE = 2;
    /** The service refused the call as asked (400, 404, 409, ...). */
    static final int REFUSED = 65;
    /** The service could not be reached, or failed (5xx). */
    static final int UNAVAILABLE = 69;
    /** jitctl itself failed: a bug to report. */
    static final int INTERNAL = 70;
    /** {@code --wait} ran out before the request was decided and issued. */
    static final int TIMED_OUT = 75;
    /** Not allowed: denied (by policy, an SRE, or an expired approval), revoked before use, 401, 403, 410. */
    static final int NOT_PERMITTED = 77;
    /** The command was found but could not be started. */
    static final int CANNOT_EXECUTE = 126;
    /** The command was not found. */
    static final int NOT_FOUND = 127;
    /** Added to a signal's number when jitctl was stopped by it before the command started (130, 143). */
    static final int SIGNALLED = 128;

    private ExitCodes() {
    }
}
