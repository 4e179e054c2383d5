package io.jitbroker.request.app;

import io.jitbroker.request.persistence.LedgerChanges;
import jakarta.inject.Singleton;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Workloads waiting for their ledger entry to change ({@code GET /v1/access-requests/{id}?wait=}),
 * woken by {@link LedgerChanges}.
 */
@Singleton
public class LedgerWaits {

    private final ConcurrentHashMap<String, Set<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();
    private final LedgerChanges changes;

    public LedgerWaits(LedgerChanges changes) {
        this.changes = changes;
        changes.subscribe(this::changed);
    }

    /**
     * Completes at the next change of the request's entry. Take it BEFORE reading the entry, so that a
     * change between the read and the wait is not missed; {@link #forget} it when giving up.
     */
    public CompletableFuture<Void> nextChange(String requestId) {
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

    void changed(String requestId) {
        Set<CompletableFuture<Void>> futures = waiting.remove(requestId);
        if (futures != null) {
            futures.forEach(next -> next.complete(null));
        }
    }
}
