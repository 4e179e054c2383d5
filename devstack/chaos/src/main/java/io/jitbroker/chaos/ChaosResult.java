package io.jitbroker.chaos;

import io.jitbroker.chaos.check.CheckResult;
import java.util.List;

/**
 * What a chaos run found: the checker's verdict on the promises, and each fault's figures.
 *
 * @param verdict the independent checker's (lost, doubled, stale active, dead letters, ledger)
 * @param faults  one report per fault, in the order injected
 */
record ChaosResult(CheckResult verdict, List<FaultReport> faults) {

    /** The bound on the time from a repair until the cluster is whole again. */
    static final double MAX_RECOVERY_SECONDS = 30;

    /** Every fault was followed by a recovery (whatever it took). */
    boolean allRecovered() {
        return faults.stream().allMatch(f -> f.recoverySeconds() >= 0);
    }

    double recoveryMaxSeconds() {
        return faults.stream().mapToDouble(FaultReport::recoverySeconds).max().orElse(0);
    }

    /** Every promise kept, and every recovery within its bound. */
    boolean passed() {
        return verdict.passed() && allRecovered() && recoveryMaxSeconds() <= MAX_RECOVERY_SECONDS;
    }
}
