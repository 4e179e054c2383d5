package io.jitbroker.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;

/**
 * The outputs a run expects, each once, and what actually arrived: for every expected id, its
 * reference time (when its cause was appended, or when it was due), the receipts and the kind it
 * arrived as. Thread-safe: producers' callbacks set reference times while a consumer reports receipts.
 */
final class Deliveries {

    static final long UNSET = Long.MIN_VALUE;
    private static final int SAMPLE_SIZE = 5;
    /** Latencies are recorded in microseconds, up to an hour. */
    private static final long HIGHEST_MICROS = Duration.ofHours(1).toNanos() / 1_000;

    /** One expected output. */
    private static final class Expected {
        final String group;
        final String kind;
        final boolean recorded;
        volatile long referenceMicros;
        volatile long firstReceivedMicros = UNSET;
        volatile long emittedMicros = UNSET;
        volatile String receivedKind;
        final AtomicInteger receipts = new AtomicInteger();

        Expected(String group, String kind, boolean recorded, long referenceMicros) {
            this.group = group;
            this.kind = kind;
            this.recorded = recorded;
            this.referenceMicros = referenceMicros;
        }
    }

    /**
     * What one group of expectations came to.
     *
     * @param latencies     receipt minus reference, in microseconds
     * @param untilEmitted  the time the output says it was emitted (e.g. a revocation's revokedAt) minus
     *                      reference: the part before the output's transaction commits; empty if unknown
     */
    record Outcome(String group, long expected, long received, long missing, long duplicates, long wrongKind,
                   List<String> missingSample, List<String> duplicateSample, Histogram latencies,
                   Histogram untilEmitted) {

        boolean clean() {
            return missing == 0 && duplicates == 0 && wrongKind == 0;
        }
    }

    private final Map<String, Expected> expected = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> expectedByGroup = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> receivedByGroup = new ConcurrentHashMap<>();
    private final AtomicLong unexpected = new AtomicLong();
    private final List<String> unexpectedSample = new ArrayList<>();

    /**
     * Expects one output for {@code id}, of {@code kind} (null: any), in {@code group}; only
     * {@code recorded} ones count in the latencies (warm-up ones do not). The reference time comes later
     * ({@link #referenceAt}) unless given here.
     */
    void expect(String id, String group, String kind, boolean recorded) {
        expect(id, group, kind, recorded, UNSET);
    }

    void expect(String id, String group, String kind, boolean recorded, long referenceMicros) {
        if (expected.putIfAbsent(id, new Expected(group, kind, recorded, referenceMicros)) != null) {
            throw new IllegalArgumentException("id " + id + " is already expected");
        }
        counter(expectedByGroup, group).incrementAndGet();
    }

    /** The moment the cause of {@code id}'s output was appended (a send completed). */
    void referenceAt(String id, long epochMicros) {
        Expected entry = expected.get(id);
        if (entry != null) {
            entry.referenceMicros = epochMicros;
        }
    }

    /**
     * A receipt of the output for {@code id}, of {@code kind}, at {@code epochMicros}; it says it was
     * emitted at {@code emittedMicros} ({@link Long#MIN_VALUE} if it does not say).
     */
    void received(String id, String kind, long epochMicros, long emittedMicros) {
        Expected entry = id == null ? null : expected.get(id);
        if (entry == null) {
            unexpected.incrementAndGet();
            synchronized (unexpectedSample) {
                if (unexpectedSample.size() < SAMPLE_SIZE) {
                    unexpectedSample.add(id + " (" + kind + ")");
                }
            }
            return;
        }
        if (entry.receipts.getAndIncrement() == 0) {
            entry.firstReceivedMicros = epochMicros;
            entry.emittedMicros = emittedMicros;
            entry.receivedKind = kind;
            counter(receivedByGroup, entry.group).incrementAndGet();
        }
    }

    private static AtomicLong counter(Map<String, AtomicLong> counters, String group) {
        return counters.computeIfAbsent(group, g -> new AtomicLong());
    }

    long expectedCount(String group) {
        return counter(expectedByGroup, group).get();
    }

    /** How many expected outputs of {@code group} have arrived at least once. */
    long receivedCount(String group) {
        return counter(receivedByGroup, group).get();
    }

    long unexpected() {
        return unexpected.get();
    }

    List<String> unexpectedSample() {
        synchronized (unexpectedSample) {
            return List.copyOf(unexpectedSample);
        }
    }

    /**
     * Waits until every expected output of {@code group} has arrived, giving up when none has arrived
     * for {@code stall} or when {@code healthy} turns false (the service died). Returns whether all arrived.
     */
    boolean awaitAll(String group, Duration stall, BooleanSupplier healthy) throws InterruptedException {
        long lastCount = -1;
        long lastProgress = System.nanoTime();
        while (receivedCount(group) < expectedCount(group)) {
            if (!healthy.getAsBoolean()) {
                return false;
            }
            long count = receivedCount(group);
            if (count != lastCount) {
                lastCount = count;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > stall.toNanos()) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Counts, samples and the latency histogram (receipt minus reference) of one group. */
    Outcome outcome(String group) {
        Histogram latencies = new Histogram(HIGHEST_MICROS, 3);
        Histogram untilEmitted = new Histogram(HIGHEST_MICROS, 3);
        long count = 0;
        long received = 0;
        long missing = 0;
        long duplicates = 0;
        long wrongKind = 0;
        List<String> missingSample = new ArrayList<>();
        List<String> duplicateSample = new ArrayList<>();
        for (Map.Entry<String, Expected> e : expected.entrySet()) {
            Expected entry = e.getValue();
            if (!entry.group.equals(group)) {
                continue;
            }
            count++;
            int receipts = entry.receipts.get();
            if (receipts == 0) {
                missing++;
                addSample(missingSample, e.getKey());
                continue;
            }
            received++;
            if (receipts > 1) {
                duplicates += receipts - 1;
                addSample(duplicateSample, e.getKey() + " x" + receipts);
            }
            if (entry.kind != null && !entry.kind.equals(entry.receivedKind)) {
                wrongKind++;
            }
            if (entry.recorded && entry.referenceMicros != UNSET) {
                latencies.recordValue(clamp(entry.firstReceivedMicros - entry.referenceMicros));
                if (entry.emittedMicros != UNSET) {
                    untilEmitted.recordValue(clamp(entry.emittedMicros - entry.referenceMicros));
                }
            }
        }
        return new Outcome(group, count, received, missing, duplicates, wrongKind, missingSample, duplicateSample,
                latencies, untilEmitted);
    }

    /**
     * The recorded latencies of {@code group} by window of reference time (e.g. each 5 s of the run), to
     * tell a steady cost from a stall: for each window from the first reference, its p99 in milliseconds.
     */
    List<Double> p99ByWindow(String group, Duration window) {
        long first = Long.MAX_VALUE;
        for (Expected entry : expected.values()) {
            if (entry.group.equals(group) && entry.recorded && entry.referenceMicros != UNSET) {
                first = Math.min(first, entry.referenceMicros);
            }
        }
        long windowMicros = window.toNanos() / 1_000;
        Map<Long, Histogram> windows = new java.util.TreeMap<>();
        for (Expected entry : expected.values()) {
            if (entry.group.equals(group) && entry.recorded && entry.referenceMicros != UNSET
                    && entry.firstReceivedMicros != UNSET) {
                windows.computeIfAbsent((entry.referenceMicros - first) / windowMicros,
                        w -> new Histogram(HIGHEST_MICROS, 3))
                        .recordValue(clamp(entry.firstReceivedMicros - entry.referenceMicros));
            }
        }
        return windows.values().stream().map(h -> h.getValueAtPercentile(99) / 1000.0).toList();
    }

    /** Into the histogram's range; a millisecond timestamp can be a fraction of a millisecond early. */
    private static long clamp(long micros) {
        return Math.min(Math.max(0, micros), HIGHEST_MICROS);
    }

    private static void addSample(List<String> sample, String id) {
        if (sample.size() < SAMPLE_SIZE) {
            sample.add(id);
        }
    }
}
