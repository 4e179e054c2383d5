package io.jitbroker.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the revocation benchmark found, as a short account for people and, last, one summary line
 * for scripts: {@code revocation p50_ms=.. p99_ms=.. floor_p99_ms=.. ratio_p99=.. expiry_late_p99_ms=..
 * active=.. restore_s=.. mass_expiry_n=.. mass_expiry_late_p50_ms=.. mass_expiry_late_p99_ms=..}, with
 * FAILED at its end when a revocation was missing, doubled or wrong, a phase did not complete, or a
 * figure missed its target ({@link RevocationTargets}; only the first three make the exit code 1).
 */
record RevocationReport(RevocationBenchOptions options, String serviceBuild, int cores, String loadBefore,
                        String loadAfter, double firstStartSeconds,
                        CompletionRun.Result completions, Deliveries.Outcome completionOutcome,
                        FloorRun.Result floor,
                        ExpiryRun.Result expiry, Deliveries.Outcome expiryOutcome,
                        RestoreRun.Result restore, Deliveries.Outcome restoreOutcome,
                        MassExpiryRun.Result massExpiry, Deliveries.Outcome massExpiryOutcome,
                        long unexpectedRevocations, List<String> unexpectedSample,
                        List<Double> revokeP99ByWindow, List<Double> floorP99ByWindow) {

    /** The width of the windows of {@link #revokeP99ByWindow}. */
    static final Duration WINDOW = Duration.ofSeconds(5);

    LatencySummary revokeLatency() {
        return LatencySummary.of(completionOutcome.latencies());
    }

    LatencySummary expiryLateness() {
        return LatencySummary.of(expiryOutcome.latencies());
    }

    LatencySummary massExpiryLateness() {
        return LatencySummary.of(massExpiryOutcome.latencies());
    }

    double ratioP99() {
        return revokeLatency().p99Ms() / floor.latency().p99Ms();
    }

    /** Every revocation arrived exactly once with its reason, none came unasked, and the floor was clean. */
    boolean passed() {
        return completionOutcome.clean() && expiryOutcome.clean() && restoreOutcome.clean()
                && unexpectedRevocations == 0
                && floor.outcome().clean() && floor.unexpected() == 0
                && completions.grantSends().failures() == 0 && completions.completionSends().failures() == 0
                && expiry.preloadSends().failures() == 0 && expiry.expiringSends().failures() == 0
                && expiry.intakeComplete()
                && (massExpiry == null || (massExpiryOutcome.clean() && massExpiry.allArrived()
                        && massExpiry.sends().failures() == 0));
    }

    /** {@code active=} is what the service reported holding after the preload, not the option's value. */
    String summaryLine() {
        String line = String.format(Locale.ROOT,
                "revocation p50_ms=%.1f p99_ms=%.1f floor_p99_ms=%.1f ratio_p99=%.1f expiry_late_p99_ms=%.1f active=%d restore_s=%.1f",
                revokeLatency().p50Ms(), revokeLatency().p99Ms(), floor.latency().p99Ms(), ratioP99(),
                expiryLateness().p99Ms(), expiry.activeInState(), restore.restore().toMillis() / 1000.0);
        if (massExpiry != null) {
            line += String.format(Locale.ROOT, " mass_expiry_n=%d mass_expiry_late_p50_ms=%.1f mass_expiry_late_p99_ms=%.1f",
                    massExpiryOutcome.received(), massExpiryLateness().p50Ms(), massExpiryLateness().p99Ms());
        }
        return passed() && missedTargets().isEmpty() ? line : line + " FAILED";
    }

    /** The targets of {@link RevocationTargets} this run missed; empty when it met them all. */
    List<String> missedTargets() {
        return RevocationTargets.missed(revokeLatency().p99Ms(), ratioP99(), expiryLateness().p99Ms(),
                restore.restore().toMillis() / 1000.0, massExpiry == null ? null : massExpiryLateness().p99Ms());
    }

    void print(PrintStream out) {
        LatencySummary revoke = revokeLatency();
        out.println("jit-broker revocation benchmark");
        out.printf(Locale.ROOT, "  machine: %d cores, load average %s at start, %s at end (shared machine)%n",
                cores, loadBefore, loadAfter);
        out.printf(Locale.ROOT, "  service: %s, commit.interval.ms=%d; first start (empty state) healthy in %.1f s%n",
                serviceBuild, options.commitIntervalMs(), firstStartSeconds);
        out.println("  latencies: read_committed receipt in this JVM minus the acknowledgement of the cause's append"
                + " (the producer's send callback, acks=all)");

        out.printf(Locale.ROOT, "(a) time to revoke: %d tasks (%d warm-up) at %.0f/s target, %.1f/s achieved"
                        + " (driver at most %.1f ms behind); each grant sent %d ms before its task's COMPLETED%n",
                completions.driver().sent(), options.warmupTasks(), options.rate(), completions.driver().achievedRate(),
                completions.driver().maxBehindMs(), completions.lead().toMillis());
        out.printf(Locale.ROOT, "    revocations: %s; TaskEvent %d B%n", counts(completionOutcome),
                completions.completionSends().averageValueBytes());
        out.printf(Locale.ROOT, "    %s%n", revoke);
        out.printf(Locale.ROOT, "    of which until the service emitted it (its revokedAt, before its transaction commits): %s%n",
                LatencySummary.of(completionOutcome.untilEmitted()));
        out.printf(Locale.ROOT, "    p99 ms by %d s of the run: %s%n", WINDOW.toSeconds(), timeline(revokeP99ByWindow));
        sendFailures(out, "grants", completions.grantSends());
        sendFailures(out, "task events", completions.completionSends());

        out.printf(Locale.ROOT, "(b) floor: pass-through exactly_once_v2 Streams app, %d records of %d B at %.0f/s target,"
                        + " %.1f/s achieved (driver at most %.1f ms behind)%n",
                floor.driver().sent(), floor.valueBytes(), options.rate(), floor.driver().achievedRate(),
                floor.driver().maxBehindMs());
        out.printf(Locale.ROOT, "    copies: %s, unexpected %d%n", counts(floor.outcome()), floor.unexpected());
        out.printf(Locale.ROOT, "    %s; ratio p99 (revoke / floor) %.2f%n", floor.latency(), ratioP99());
        out.printf(Locale.ROOT, "    p99 ms by %d s of the run: %s%n", WINDOW.toSeconds(), timeline(floorP99ByWindow));
        sendFailures(out, "floor records", floor.sends());

        out.printf(Locale.ROOT, "(c) expiry with %d active grants: preloaded in %.1f s = %.0f grants/s (one producer,"
                        + " acks=all); the service had taken them in (group lag 0) %.1f s after the preload began"
                        + " = %.0f grants/s%s%n",
                expiry.preloaded(), expiry.preloadSeconds(), expiry.preloadRate(), expiry.intakeSeconds(),
                expiry.intakeRate(), expiry.intakeComplete() ? "" : " (INCOMPLETE: lag never reached 0)");
        out.printf(Locale.ROOT, "    the service then reported %d active grants in its state (%d preloaded)%n",
                expiry.activeInState(), expiry.preloaded());
        out.printf(Locale.ROOT, "    %d grants expiring %d ms after they were sent, over %d s (%.1f/s achieved)%n",
                expiry.driver().sent(), expiry.lead().toMillis(), options.expiringSeconds(),
                expiry.driver().achievedRate());
        out.printf(Locale.ROOT, "    revocations (all TTL_EXPIRED expected): %s%n", counts(expiryOutcome));
        out.printf(Locale.ROOT, "    lateness (receipt minus expiresAt): %s%n", expiryLateness());
        out.printf(Locale.ROOT, "    of which until the service emitted it (revokedAt minus expiresAt): %s%n",
                LatencySummary.of(expiryOutcome.untilEmitted()));
        sendFailures(out, "preloaded grants", expiry.preloadSends());
        sendFailures(out, "expiring grants", expiry.expiringSends());

        out.printf(Locale.ROOT, "(d) restore: stopped in %.1f s, state deleted, %d stale group member(s) removed (the"
                        + " service leaves its group on close; a member left behind would hold the restart until its"
                        + " session timed out)%n",
                restore.stop().toMillis() / 1000.0, restore.staleMembers());
        out.printf(Locale.ROOT, "    started again: /health 200 after %.1f s (JVM start plus restoring the stores of %d"
                        + " active grants from their changelogs)%n",
                restore.restore().toMillis() / 1000.0, options.active());
        if (restore.checked()) {
            out.printf(Locale.ROOT, "    a preloaded grant's task completed after the restore: %s; %s%n",
                    counts(restoreOutcome), LatencySummary.of(restoreOutcome.latencies()));
        }
        if (massExpiry != null) {
            out.printf(Locale.ROOT, "(e) mass expiry: %d grants expiring evenly over %d s from %s, sent in %.1f s"
                            + " (on top of the %d active ones); the service had taken them in %.1f s %s the first expiry%n",
                    massExpiry.grants(), massExpiry.window().toSeconds(), massExpiry.firstExpiry(), massExpiry.sendSeconds(),
                    options.active(), Math.abs(massExpiry.intakeSecondsBeforeFirstExpiry()),
                    massExpiry.intakeSecondsBeforeFirstExpiry() >= 0 ? "before" : "AFTER");
            out.printf(Locale.ROOT, "    revocations (all TTL_EXPIRED expected): %s%n", counts(massExpiryOutcome));
            out.printf(Locale.ROOT, "    lateness (receipt minus expiresAt): %s%n", massExpiryLateness());
            out.printf(Locale.ROOT, "    of which until the service emitted it (revokedAt minus expiresAt): %s%n",
                    LatencySummary.of(massExpiryOutcome.untilEmitted()));
            sendFailures(out, "mass-expiry grants", massExpiry.sends());
        }
        out.printf(Locale.ROOT, "unexpected revocations (for grants never sent or never to be revoked): %d%s%n",
                unexpectedRevocations, unexpectedSample.isEmpty() ? "" : " e.g. " + unexpectedSample);
        out.println(passed() ? "result: every revocation arrived exactly once, with its reason"
                : "result: FAILED (see the counts above)");
        List<String> missed = missedTargets();
        out.println(missed.isEmpty() ? "targets met: " + RevocationTargets.describe()
                : "targets missed: " + String.join(", ", missed) + " (targets: " + RevocationTargets.describe() + ")");
    }

    private static String counts(Deliveries.Outcome outcome) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "%d/%d received, missing %d, duplicates %d, wrong reason %d",
                outcome.received(), outcome.expected(), outcome.missing(), outcome.duplicates(), outcome.wrongKind()));
        if (!outcome.missingSample().isEmpty()) {
            text.append(", missing e.g. ").append(outcome.missingSample());
        }
        if (!outcome.duplicateSample().isEmpty()) {
            text.append(", doubled e.g. ").append(outcome.duplicateSample());
        }
        return text.toString();
    }

    private static String timeline(List<Double> p99s) {
        return p99s.stream().map(p -> String.format(Locale.ROOT, "%.0f", p)).collect(Collectors.joining(" "));
    }

    private static void sendFailures(PrintStream out, String what, SendStats sends) {
        if (sends.failures() > 0) {
            out.printf(Locale.ROOT, "    %s: %s%n", what, sends);
        }
    }
}
