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

    private static final long UNSET = Long.MIN_VALUE;
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
        volatile String receivedKind;
        final AtomicInteger receipts = new AtomicInteger();

        Expected(String group, String kind, boolean recorded, long referenceMicros) {
            this.group = group;
            this.kind = kind;
            this.recorded = recorded;
            this.referenceMicros = referenceMicros;
        }
    }

    /** What one group of expectations came to. */
    record Outcome(String group, long expected, long received, long missing, long duplicates, long wrongKind,
                   List<String> missingSample, List<String> duplicateSample, Histogram latencies) {

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

    /** A receipt of the output for {@code id}, of {@code kind}, at {@code epochMicros}. */
    void received(String id, String kind, long epochMicros) {
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
                long latency = Math.max(0, entry.firstReceivedMicros - entry.referenceMicros);
                latencies.recordValue(Math.min(latency, HIGHEST_MICROS));
            }
        }
        return new Outcome(group, count, received, missing, duplicates, wrongKind, missingSample, duplicateSample,
                latencies);
    }

    private static void addSample(List<String> sample, String id) {
        if (sample.size() < SAMPLE_SIZE) {
            sample.add(id);
        }
    }
}
