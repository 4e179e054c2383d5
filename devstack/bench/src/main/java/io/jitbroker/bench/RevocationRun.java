package io.jitbroker.bench;

import io.jitbroker.events.v1.Revocation;
import java.time.Duration;

/**
 * What every part of the revocation benchmark shares: the options, the clients, the event factory,
 * the service under test, and one read_committed watcher of jit.revocations.v1 that runs through
 * the whole benchmark, so a revocation doubled by a later part (e.g. after the restore) is caught.
 */
record RevocationRun(RevocationBenchOptions options, BenchClients clients, BenchEvents events,
                     RevocationServiceUnderTest service, Deliveries revocations,
                     OutputWatcher<Revocation> revocationWatcher) {

    /** Give up on outputs when none has arrived for this long. */
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

    /** Whether measuring still makes sense: the service runs and the revocations are being read. */
    boolean healthy() {
        return service.alive() && revocationWatcher.healthy();
    }

    /** After the last expected output: long enough for a doubled one to show up. */
    Duration quietPeriod() {
        return Duration.ofMillis(Math.max(2_000, 20L * options.commitIntervalMs()));
    }
}
