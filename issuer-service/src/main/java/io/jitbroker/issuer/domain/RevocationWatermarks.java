package io.jitbroker.issuer.domain;

import io.jitbroker.issuer.domain.RevocationStateUnknown.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The progress of revocations, per partition of jit.revocations.v1, as all issuer instances recorded
 * it: for each partition, the latest time T at which some instance had applied every revocation
 * written to it before T (its watermark). A grant is known unrevoked only while its partition's
 * watermark is younger than the bound.
 *
 * @param partitionCount the topic's partition count; 0 when unknown
 * @param caughtUpAt     per partition, its watermark; a partition never confirmed is absent
 */
public record RevocationWatermarks(int partitionCount, Map<Integer, Instant> caughtUpAt) {

    public RevocationWatermarks {
        caughtUpAt = Map.copyOf(caughtUpAt);
    }

    /** Empty when the grant's partition was confirmed caught up at most {@code bound} before {@code now}. */
    public Optional<RevocationStateUnknown> judge(UUID grantId, Instant now, Duration bound) {
        if (partitionCount <= 0) {
            return Optional.of(new RevocationStateUnknown(Reason.PARTITION_COUNT_UNKNOWN, -1, null, bound));
        }
        return judge(RevocationPartitions.partitionOf(grantId, partitionCount), now, bound);
    }

    /** As {@link #judge(UUID, Instant, Duration)}, for one partition. */
    public Optional<RevocationStateUnknown> judge(int partition, Instant now, Duration bound) {
        Instant watermark = caughtUpAt.get(partition);
        if (watermark == null) {
            return Optional.of(new RevocationStateUnknown(Reason.NEVER_CONFIRMED, partition, null, bound));
        }
        Duration age = age(watermark, now);
        return age.compareTo(bound) > 0
                ? Optional.of(new RevocationStateUnknown(Reason.STALE, partition, age, bound))
                : Optional.empty();
    }

    /** The age of the oldest watermark of the topic; empty when the partition count is unknown or one never was confirmed. */
    public Optional<Duration> oldestAge(Instant now) {
        if (partitionCount <= 0) {
            return Optional.empty();
        }
        Duration oldest = Duration.ZERO;
        for (int partition = 0; partition < partitionCount; partition++) {
            Instant watermark = caughtUpAt.get(partition);
            if (watermark == null) {
                return Optional.empty();
            }
            Duration age = age(watermark, now);
            oldest = age.compareTo(oldest) > 0 ? age : oldest;
        }
        return Optional.of(oldest);
    }

    /** A watermark a little ahead of this clock (another instance's confirmation, read back) is 0 s old. */
    private static Duration age(Instant watermark, Instant now) {
        return now.isAfter(watermark) ? Duration.between(watermark, now) : Duration.ZERO;
    }
}
