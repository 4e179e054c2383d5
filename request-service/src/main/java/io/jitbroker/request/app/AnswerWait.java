package io.jitbroker.request.app;

import io.jitbroker.request.domain.LedgerEntry;
import io.jitbroker.request.persistence.Ledger;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Answers a workload as soon as its request is no longer on its way (decided and issued, denied, or
 * waiting for an SRE), or when its wait is over, whichever comes first, without holding a thread
 * while it waits. With no change notifications (their connection is down) it waits at most a second.
 */
@Singleton
public class AnswerWait {

    private static final Duration WITHOUT_NOTIFICATIONS = Duration.ofSeconds(1);

    private final LedgerWaits waits;
    private final Ledger ledger;
    private final ExecutorService blocking;

    public AnswerWait(LedgerWaits waits, Ledger ledger, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.waits = waits;
        this.ledger = ledger;
        this.blocking = blocking;
    }

    /** The entry as it stands when the wait ends; {@code entry} at once when there is nothing to wait for. */
    public CompletableFuture<LedgerEntry> until(LedgerEntry entry, Duration wait) {
        if (wait.isZero() || !entry.status().onItsWay()) {
            return CompletableFuture.completedFuture(entry);
        }
        Duration bounded = waits.listening() || wait.compareTo(WITHOUT_NOTIFICATIONS) < 0 ? wait : WITHOUT_NOTIFICATIONS;
        return await(entry, System.nanoTime() + bounded.toNanos());
    }

    private CompletableFuture<LedgerEntry> await(LedgerEntry seen, long deadline) {
        String requestId = seen.requestId();
        CompletableFuture<Void> change = waits.nextAnswer(requestId);
        LedgerEntry entry = ledger.find(requestId).orElse(seen);
        long left = deadline - System.nanoTime();
        if (!entry.status().onItsWay() || left <= 0) {
            waits.forget(requestId, change);
            return CompletableFuture.completedFuture(entry);
        }
        return change.completeOnTimeout(null, left, TimeUnit.NANOSECONDS)
                .thenComposeAsync(ignored -> {
                    waits.forget(requestId, change);
                    return await(entry, deadline);
                }, blocking);
    }
}
