package io.jitbroker.bench;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/** p50, p99 and max of a latency histogram recorded in microseconds, in milliseconds. */
record LatencySummary(long count, double p50Ms, double p99Ms, double maxMs) {

    static LatencySummary of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN);
        }
        return new LatencySummary(micros.getTotalCount(),
                micros.getValueAtPercentile(50) / 1000.0,
                micros.getValueAtPercentile(99) / 1000.0,
                micros.getMaxValue() / 1000.0);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d recorded)", p50Ms, p99Ms, maxMs, count);
    }
}
