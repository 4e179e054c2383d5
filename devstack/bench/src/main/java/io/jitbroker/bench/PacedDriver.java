package io.jitbroker.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Sends a numbered series at a fixed rate: item {@code i} is due at {@code start + i / rate}; its
 * lead step (e.g. the grant) runs when due and its main step (e.g. the task completion) {@code lead}
 * later. A driver that falls behind catches up at once and reports how far behind it fell, so an
 * overloaded machine shows in the achieved rate instead of hiding in the latencies.
 */
public final class PacedDriver {

    /**
     * @param sent          main steps run
     * @param achievedRate  main steps per second over the recorded part (after the warm-up)
     * @param maxBehindMs   the longest a step ran after it was due
     */
    public record Report(long sent, double achievedRate, double maxBehindMs) {
    }

    private PacedDriver() {
    }

    /**
     * @param leadStep  runs when item i is due; null for a series with one step
     * @param mainStep  runs {@code lead} after item i is due
     * @param warmup    how many first items are warm-up (not in the achieved rate)
     */
    public static Report run(double perSecond, long total, long warmup, Duration lead, LongConsumer leadStep,
                      LongConsumer mainStep) {
        double intervalNanos = 1e9 / perSecond;
        long leadNanos = leadStep == null ? 0 : lead.toNanos();
        long start = System.nanoTime();
        long nextLead = leadStep == null ? total : 0;
        long nextMain = 0;
        long maxBehind = 0;
        long recordedFrom = 0;
        long last = start;
        while (nextMain < total) {
            long now = System.nanoTime();
            while (nextLead < total && start + (long) (nextLead * intervalNanos) <= now) {
                maxBehind = Math.max(maxBehind, now - (start + (long) (nextLead * intervalNanos)));
                leadStep.accept(nextLead++);
            }
            while (nextMain < nextLead) { // a main step never runs before its lead step
                long due = start + (long) (nextMain * intervalNanos) + leadNanos;
                if (due > now) {
                    break;
                }
                maxBehind = Math.max(maxBehind, now - due);
                if (nextMain == warmup) {
                    recordedFrom = now;
                }
                mainStep.accept(nextMain++);
                last = now;
            }
            long nextDue = Math.min(
                    nextLead < total ? start + (long) (nextLead * intervalNanos) : Long.MAX_VALUE,
                    nextMain < total ? start + (long) (nextMain * intervalNanos) + leadNanos : Long.MAX_VALUE);
            long wait = nextDue - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(Math.min(wait, 1_000_000));
            }
        }
        long recorded = total - warmup;
        double seconds = (last - recordedFrom) / 1e9;
        double achieved = recorded > 1 && seconds > 0 ? (recorded - 1) / seconds : perSecond;
        return new Report(total, achieved, maxBehind / 1e6);
    }
}
