package io.jitbroker.request.app;

import io.jitbroker.request.persistence.LedgerChange;
import io.jitbroker.request.persistence.LedgerChanges;
import jakarta.inject.Singleton;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Workloads waiting for their ledger entry to reach an answer ({@code GET /v1/access-requests/{id}?wait=}),
 * woken by {@link LedgerChanges} when it may have: a change to a status still on its way (APPROVED,
 * the grant not issued yet) wakes nobody, so the entry is read once more, not once per change.
 */
@Singleton
public class LedgerWaits implements LedgerChanges.Subscriber {

    private final ConcurrentHashMap<String, Set<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();
    private final LedgerChanges changes;

    public LedgerWaits(LedgerChanges changes) {
        this.changes = changes;
        changes.subscribe(this);
    }

    /**
     * Completes at the next change that may answer the request. Take it BEFORE reading the entry, so
     * that a change between the read and the wait is not missed; {@link #forget} it when giving up.
     */
    public CompletableFuture<Void> nextAnswer(String requestId) {
        CompletableFuture<Void> next = new CompletableFuture<>();
        waiting.computeIfAbsent(requestId, id -> ConcurrentHashMap.newKeySet()).add(next);
        return next;
    }

    public void forget(String requestId, CompletableFuture<Void> next) {
        waiting.computeIfPresent(requestId, (id, futures) -> {
            futures.remove(next);
            return futures.isEmpty() ? null : futures;
        });
    }

    /** Whether changes are being heard; when not, a waiter should not wait long. */
    public boolean listening() {
        return changes.listening();
    }

    @Override
    public void changed(LedgerChange change) {
        if (!change.mayBeAnswered()) {
            return;
        }
        Set<CompletableFuture<Void>> futures = waiting.remove(change.requestId());
        if (futures != null) {
            futures.forEach(next -> next.complete(null));
        }
    }

    /** Every waiter reads its entry again: an answer may have come while nobody listened. */
    @Override
    public void missedChanges() {
        for (String requestId : waiting.keySet()) {
            changed(new LedgerChange(requestId, null));
        }
    }
}
