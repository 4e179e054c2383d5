package io.jitbroker.revocation.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When a grant that requires heartbeats is due: its task must report STARTED or HEARTBEAT at least
 * every interval, plus a grace for delivery, counted from the grant's issue.
 */
public final class Heartbeats {

    private Heartbeats() {
    }

    /**
     * The time a STARTED or HEARTBEAT counts for: when it occurred, but never later than when the
     * revoker processes it, so a sender whose clock runs ahead cannot buy time.
     */
    public static Instant effectiveBeat(Instant occurredAt, Instant processedAt) {
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(processedAt, "processedAt");
        return occurredAt.isAfter(processedAt) ? processedAt : occurredAt;
    }

    /**
     * The deadline of a grant: the later of its issue and the task's last heartbeat, plus the
     * interval and the grace. A heartbeat from before the grant was issued does not count.
     */
    public static Instant deadline(Instant issuedAt, Optional<Instant> lastBeat, Duration interval, Duration grace) {
        Objects.requireNonNull(issuedAt, "issuedAt");
        Instant start = lastBeat.filter(beat -> beat.isAfter(issuedAt)).orElse(issuedAt);
        return start.plus(interval).plus(grace);
    }

    /** Short human form of a duration for details and logs: {@code 30s}, {@code 1500ms}. */
    public static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
    }
}
