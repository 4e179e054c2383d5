package io.jitbroker.bench;

import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** What the flows of one phase saw: latencies per phase of a flow, and what went wrong, counted. */
public final class FlowRecorder {

    /** POST /v1/access-requests answered. */
    final Histogram accepted = histogram();
    /** Request sent → credential picked up. */
    final Histogram credential = histogram();
    /** Task COMPLETED accepted → its revocation read (read_committed) from jit.revocations.v1. */
    final Histogram revoked = histogram();
    /** Task COMPLETED accepted → introspection answers inactive. */
    final Histogram inactive = histogram();

    final AtomicLong started = new AtomicLong();
    final AtomicLong credentials = new AtomicLong();
    final AtomicLong completed = new AtomicLong();
    /** Answers 500-599 other than 503. */
    final AtomicLong serverErrors = new AtomicLong();
    /** 503 answers (overload, with Retry-After): the client waits and tries again. */
    final AtomicLong unavailable = new AtomicLong();
    /** Answers 400-499, or a status the flow did not expect (e.g. DENIED). */
    final AtomicLong clientErrors = new AtomicLong();
    /** Flows that never reached their credential or their revocation in time. */
    final AtomicLong lost = new AtomicLong();
    /** Calls sent again after no answer at all (the instance died, or its link did), to another instance if there is one. */
    final AtomicLong resent = new AtomicLong();

    public FlowRecorder() {
    }

    /** Resizes itself: under overload a flow waiting out 503s can take longer than any fixed range (it failed the flow). */
    private static Histogram histogram() {
        return new ConcurrentHistogram(3);
    }

    static void recordMicros(Histogram histogram, long fromNanos, long toNanos) {
        histogram.recordValue(Math.max(0, (toNanos - fromNanos) / 1_000));
    }

    public long lost() {
        return lost.get();
    }

    /** Flows that failed for any reason: lost, or an answer they did not expect. */
    public long failed() {
        return lost.get() + errors();
    }

    public long unavailable() {
        return unavailable.get();
    }

    /** The longest wait for a 202 (a request refused with 503 and sent again waits on). */
    public double acceptedMaxMs() {
        return accepted.getMaxValue() / 1000.0;
    }

    public double credentialMaxMs() {
        return credential.getMaxValue() / 1000.0;
    }

    /** Task COMPLETED sent → revocation read, in microseconds, a copy. */
    public Histogram revokedMicros() {
        return revoked.copy();
    }

    long errors() {
        return serverErrors.get() + clientErrors.get();
    }

    public String describe() {
        return String.format(java.util.Locale.ROOT,
                "started %d, credentials %d, completed %d, lost %d, 5xx %d, 503 %d, other errors %d, resent %d%n"
                        + "    accepted   %s%n    credential %s%n    revoked    %s%n    inactive   %s",
                started.get(), credentials.get(), completed.get(), lost.get(), serverErrors.get(), unavailable.get(),
                clientErrors.get(), resent.get(), LatencySummary.of(accepted), LatencySummary.of(credential),
                LatencySummary.of(revoked), LatencySummary.of(inactive));
    }
}
