package io.jitbroker.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code ./jit-broker bench revocation} measures and at what scale.
 *
 * @param rate             task completions per second in (a), records per second in (b)
 * @param seconds          measured seconds of (a) and (b), after the warm-up
 * @param warmupSeconds    unrecorded seconds before them
 * @param active           grants preloaded (and left active) before (c) and (d)
 * @param expiring         grants that expire during (c)
 * @param expiringSeconds  over how long those are sent
 * @param massExpiry       grants that all expire within {@code massExpiryWindowSeconds} in (e); 0: no mass-expiry run
 * @param massExpiryWindowSeconds the window their expiries are spread over
 * @param commitIntervalMs commit.interval.ms of the service and of the floor
 * @param serviceRoot      a directory with revocation-service/target/classes and runtime-classpath.txt;
 *                         null: the repository's own build
 * @param keepFiles        keep the run's directory (service logs) even when it passed
 * @param serviceJvmOptions extra JVM options of the service (e.g. a JFR recording), space-separated
 */
record RevocationBenchOptions(double rate, int seconds, int warmupSeconds, int active, int expiring,
                              int expiringSeconds, int massExpiry, int massExpiryWindowSeconds, int commitIntervalMs, Path serviceRoot, boolean keepFiles,
                              List<String> serviceJvmOptions) {

    static final String USAGE = """
            usage: ./jit-broker bench revocation [options]
              --rate N               task completions per second (default 1000)
              --seconds N            measured seconds of the completion and floor runs (default 30)
              --warmup-seconds N     unrecorded warm-up before each (default 5)
              --active N             active grants preloaded for the expiry and restore runs (default 1000000)
              --expiring N           grants that expire during the expiry run (default 2000)
              --expiring-seconds N   over how many seconds they are sent (default 20)
              --mass-expiry N        grants that all expire within one window, sent ahead (default 1000000; 0: skip)
              --mass-expiry-window-seconds N  the window their expiries are spread over (default 60)
              --commit-interval-ms N commit.interval.ms of the service and the floor (default 100)
              --service-root DIR     run revocation-service from DIR/revocation-service/target (default: this repository)
              --keep-files yes|no    keep the service logs of a run that passed (default no; a failed run keeps them)
              --service-jvm-options "OPTS"  extra JVM options of the service, e.g. "-XX:StartFlightRecording=filename=/tmp/r.jfr\"""";

    private static final Set<String> OPTIONS = Set.of("--rate", "--seconds", "--warmup-seconds", "--active",
            "--expiring", "--expiring-seconds", "--mass-expiry", "--mass-expiry-window-seconds", "--commit-interval-ms", "--service-root", "--keep-files",
            "--service-jvm-options");

    RevocationBenchOptions {
        BenchArgs.requirePositive(rate, "--rate");
        BenchArgs.requirePositive(seconds, "--seconds");
        if (warmupSeconds < 0) {
            throw new IllegalArgumentException("--warmup-seconds must be 0 or more, was " + warmupSeconds);
        }
        if (active < 0) {
            throw new IllegalArgumentException("--active must be 0 or more, was " + active);
        }
        BenchArgs.requirePositive(expiring, "--expiring");
        BenchArgs.requirePositive(expiringSeconds, "--expiring-seconds");
        if (massExpiry < 0) {
            throw new IllegalArgumentException("--mass-expiry must be 0 or more, was " + massExpiry);
        }
        BenchArgs.requirePositive(massExpiryWindowSeconds, "--mass-expiry-window-seconds");
        BenchArgs.requirePositive(commitIntervalMs, "--commit-interval-ms");
    }

    static RevocationBenchOptions defaults() {
        return new RevocationBenchOptions(1000, 30, 5, 1_000_000, 2000, 20, 1_000_000, 60, 100, null, false, List.of());
    }

    static RevocationBenchOptions parse(List<String> args) {
        Map<String, String> given = BenchArgs.pairs(args, OPTIONS, USAGE);
        RevocationBenchOptions d = defaults();
        return new RevocationBenchOptions(
                given.containsKey("--rate") ? BenchArgs.number("--rate", given.get("--rate")) : d.rate,
                BenchArgs.wholeNumber(given, "--seconds", d.seconds),
                BenchArgs.wholeNumber(given, "--warmup-seconds", d.warmupSeconds),
                BenchArgs.wholeNumber(given, "--active", d.active),
                BenchArgs.wholeNumber(given, "--expiring", d.expiring),
                BenchArgs.wholeNumber(given, "--expiring-seconds", d.expiringSeconds),
                BenchArgs.wholeNumber(given, "--mass-expiry", d.massExpiry),
                BenchArgs.wholeNumber(given, "--mass-expiry-window-seconds", d.massExpiryWindowSeconds),
                BenchArgs.wholeNumber(given, "--commit-interval-ms", d.commitIntervalMs),
                given.containsKey("--service-root")
                        ? Path.of(given.get("--service-root")).toAbsolutePath().normalize() : d.serviceRoot,
                given.containsKey("--keep-files") ? BenchArgs.yesNo("--keep-files", given.get("--keep-files")) : d.keepFiles,
                given.containsKey("--service-jvm-options")
                        ? List.of(given.get("--service-jvm-options").trim().split("\\s+")) : d.serviceJvmOptions);
    }

    /** Task completions sent in (a), warm-up included (and records sent to the floor in (b)). */
    long totalTasks() {
        return Math.round(rate * (warmupSeconds + seconds));
    }

    long warmupTasks() {
        return Math.round(rate * warmupSeconds);
    }
}
