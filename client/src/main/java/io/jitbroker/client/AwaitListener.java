package io.jitbroker.client;

/** Sees each new status while {@link JitClient#awaitOutcome} waits, e.g. PENDING_APPROVAL with its deadline. */
@FunctionalInterface
public interface AwaitListener {

    AwaitListener NONE = entry -> { };

    void statusChanged(LedgerEntry entry);
}
