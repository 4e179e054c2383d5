package io.jitbroker.client;

/** {@link JitClient#awaitOutcome} ran out of time; {@link #lastSeen()} is the entry as it stood then. */
public class JitTimeoutException extends JitException {

    private final transient LedgerEntry lastSeen;

    public JitTimeoutException(String message, LedgerEntry lastSeen) {
        super(message);
        this.lastSeen = lastSeen;
    }

    /** The last ledger entry seen; null when the service never answered. */
    public LedgerEntry lastSeen() {
        return lastSeen;
    }
}
