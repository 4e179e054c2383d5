package io.jitbroker.request.app;

import io.jitbroker.micronaut.http.ApiException;
import io.jitbroker.request.persistence.LedgerChange;
import io.jitbroker.request.persistence.LedgerChanges;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Sheds load at the front door. Every access request this instance accepted is remembered until
 * {@link LedgerChanges} says it reached an answer (issued, denied, waiting for an SRE); when the
 * oldest still on its way has waited longer than {@code jit.intake.max-backlog-age}, or more than
 * {@code jit.intake.max-backlog} are on their way, a new request is refused with 503 and Retry-After
 * instead of joining a queue that already answers late: the requests already in it keep their latency,
 * and the client knows to come back. A request answered again for its Idempotency-Key is never refused.
 *
 * <p>Admission never fails closed on what it cannot see: while ledger changes are not heard (their
 * connection is down), everything is admitted, and what was remembered is dropped when they are heard
 * again; a request not answered within {@code forgetAfter} is dropped too, so one lost answer cannot
 * close the door.
 */
@Singleton
public class IntakeBacklog implements LedgerChanges.Subscriber {

    /** How long this instance's oldest request on its way has waited, in seconds (0 when none). */
    public static final String OLDEST_METER = "jit.intake.backlog.oldest";
    /** Requests this instance accepted that are still on their way. */
    public static final String SIZE_METER = "jit.intake.backlog";

    private final Duration maxAge;
    private final int maxSize;
    private final long forgetAfterNanos;
    private final LongSupplier nanoTime;
    private final BooleanSupplier hearingChanges;
    private final Map<String, Long> onItsWay = new ConcurrentHashMap<>();
    private final Queue<Accepted> inOrder = new ConcurrentLinkedQueue<>();

    @Inject
    public IntakeBacklog(@Value("${jit.intake.max-backlog-age}") Duration maxAge,
                         @Value("${jit.intake.max-backlog}") int maxSize,
                         @Value("${jit.intake.forget-after:60s}") Duration forgetAfter,
                         LedgerChanges changes, MeterRegistry meters) {
        this(maxAge, maxSize, forgetAfter, System::nanoTime, changes::listening);
        changes.subscribe(this);
        Gauge.builder(OLDEST_METER, this, backlog -> backlog.oldestWaiting().toMillis() / 1000.0)
                .description("How long this instance's oldest access request still on its way has waited")
                .baseUnit("seconds").register(meters);
        Gauge.builder(SIZE_METER, onItsWay, Map::size)
                .description("Access requests this instance accepted that are still on their way").register(meters);
    }

    IntakeBacklog(Duration maxAge, int maxSize, Duration forgetAfter, LongSupplier nanoTime, BooleanSupplier hearingChanges) {
        this.maxAge = maxAge;
        this.maxSize = maxSize;
        this.forgetAfterNanos = forgetAfter.toNanos();
        this.nanoTime = nanoTime;
        this.hearingChanges = hearingChanges;
    }

    /** @throws ApiException 503 {@code overloaded} when the backlog is too old or too long */
    public void admit() {
        if (!hearingChanges.getAsBoolean()) {
            return;
        }
        Duration oldest = oldestWaiting();
        if (oldest.compareTo(maxAge) > 0 || onItsWay.size() >= maxSize) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", String.format(
                    "too many access requests are on their way (%d, the oldest for %d ms); nothing was stored, retry later",
                    onItsWay.size(), oldest.toMillis()));
        }
    }

    /** A request was stored and will be answered through the ledger. */
    public void accepted(String requestId) {
        if (!hearingChanges.getAsBoolean()) {
            return;
        }
        long now = nanoTime.getAsLong();
        onItsWay.put(requestId, now);
        inOrder.add(new Accepted(requestId, now));
    }

    @Override
    public void changed(LedgerChange change) {
        if (change.mayBeAnswered()) {
            onItsWay.remove(change.requestId());
        }
    }

    /** Answers given while nobody listened were not heard: start afresh rather than wait for them. */
    @Override
    public void missedChanges() {
        onItsWay.clear();
        inOrder.clear();
    }

    /** How long the oldest request still on its way has waited; answered and forgotten ones are dropped on the way. */
    Duration oldestWaiting() {
        long now = nanoTime.getAsLong();
        for (Accepted head = inOrder.peek(); head != null; head = inOrder.peek()) {
            long waited = now - head.atNanos();
            if (onItsWay.containsKey(head.requestId()) && waited <= forgetAfterNanos) {
                return Duration.ofNanos(waited);
            }
            inOrder.remove(head);
            onItsWay.remove(head.requestId(), head.atNanos());
        }
        return Duration.ZERO;
    }

    private record Accepted(String requestId, long atNanos) {
    }
}
