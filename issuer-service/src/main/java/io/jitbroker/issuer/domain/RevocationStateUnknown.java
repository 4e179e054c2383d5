package io.jitbroker.issuer.domain;

import java.time.Duration;
import java.util.Locale;

/**
 * Why the issuer cannot tell whether a grant is still unrevoked: the revocations that could concern it
 * have not been confirmed applied within the bound. Introspection and pickup then refuse to answer
 * (fail closed) instead of calling a possibly revoked credential live.
 *
 * @param partition the grant's partition of jit.revocations.v1; -1 when the partition count is unknown
 * @param age       how long ago the partition was last confirmed caught up; null when it never was
 * @param bound     the largest age trusted (JIT_ISSUER_REVOCATION_MAX_STALENESS)
 */
public record RevocationStateUnknown(Reason reason, int partition, Duration age, Duration bound) {

    public enum Reason {
        /** The partition was confirmed caught up, but longer ago than the bound. */
        STALE,
        /** No instance has ever confirmed the partition caught up. */
        NEVER_CONFIRMED,
        /** The topic's partition count is not known here (Kafka not reached since start). */
        PARTITION_COUNT_UNKNOWN
    }

    /** What a caller is told: which partition, how old its last confirmation is, and what to do. */
    public String message() {
        return describe() + ": the issuer cannot tell whether this grant has been revoked; treat the credential "
                + "as not active and retry shortly";
    }

    /** What is unknown, for callers and logs, e.g. "revocations on partition 2 of jit.revocations.v1 were ...". */
    public String describe() {
        String revocations = "revocations on partition " + partition + " of jit.revocations.v1";
        return switch (reason) {
            case STALE -> revocations + " were last confirmed applied " + seconds(age) + " s ago (more than "
                    + seconds(bound) + " s)";
            case NEVER_CONFIRMED -> revocations + " have never been confirmed applied";
            case PARTITION_COUNT_UNKNOWN -> "the partitions of jit.revocations.v1 are not known here yet";
        };
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
    }
}
