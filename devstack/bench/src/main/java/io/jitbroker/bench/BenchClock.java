package io.jitbroker.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Wall-clock time in epoch microseconds that never jumps: fixed to the system clock once, then
 * advanced by {@link System#nanoTime()}. Send acknowledgements and receipts are timed in this JVM
 * with it, and it stays comparable to the epoch timestamps the service compares with (expiresAt).
 */
final class BenchClock {

    private static final long ORIGIN_NANOS = System.nanoTime();
    private static final long ORIGIN_EPOCH_MICROS = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());

    private BenchClock() {
    }

    static long nowMicros() {
        return ORIGIN_EPOCH_MICROS + (System.nanoTime() - ORIGIN_NANOS) / 1_000;
    }

    static long toMicros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }
}
