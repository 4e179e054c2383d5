package io.jitbroker.kafka;

import java.time.Duration;
import java.util.Objects;

/** Delays between retries: the first one, then twice the previous, at most a cap. Not thread-safe. */
public final class Backoff {

    private final Duration first;
    private final Duration max;
    private Duration next;

    public Backoff(Duration first, Duration max) {
        this.first = Objects.requireNonNull(first, "first");
        this.max = Objects.requireNonNull(max, "max");
        this.next = first;
    }

    /** The delay before the next try; the one after it is twice as long, at most the cap. */
    public Duration next() {
        Duration now = next;
        Duration doubled = now.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return now;
    }

    /** After a success: the next failure waits the first delay again. */
    public void reset() {
        next = first;
    }
}
