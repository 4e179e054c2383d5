package io.jitbroker.revocation.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * Keys of time-ordered indexes: the time as 19 zero-padded decimal digits (every non-negative
 * long fits), a separator, then an id. Their UTF-8 bytes sort by time first, so a store range
 * scan from the start up to {@link #upperBoundThrough(Instant)} visits exactly the entries that
 * are due, and a sweep costs what is due, not what is stored. Times before the epoch sort as the
 * epoch and times past the last millisecond a long holds sort as that millisecond.
 */
public final class TimeKey {

    private static final int TIME_WIDTH = 19;
    private static final char SEPARATOR = '|';
    private static final Instant LATEST = Instant.ofEpochMilli(Long.MAX_VALUE);

    private TimeKey() {
    }

    /** The key of {@code id} at {@code at}. */
    public static String of(Instant at, String id) {
        Objects.requireNonNull(id, "id");
        return pad(millisOf(at)) + SEPARATOR + id;
    }

    /**
     * The inclusive upper bound of a range scan that covers every key at or before {@code now}: the
     * bare time of the next millisecond, which sorts after every "time|id" key of earlier times and
     * before every key of its own time.
     */
    public static String upperBoundThrough(Instant now) {
        long millis = millisOf(now);
        return millis == Long.MAX_VALUE ? pad(millis) + (char) (SEPARATOR + 1) : pad(millis + 1);
    }

    public static Instant timeOf(String key) {
        return Instant.ofEpochMilli(Long.parseLong(key.substring(0, TIME_WIDTH)));
    }

    public static String idOf(String key) {
        if (key.length() <= TIME_WIDTH || key.charAt(TIME_WIDTH) != SEPARATOR) {
            throw new IllegalArgumentException("not a time key: " + key);
        }
        return key.substring(TIME_WIDTH + 1);
    }

    /** Saturates instead of overflowing: a time past what a long holds (a grant valid "forever" plus the retention) sorts last. */
    private static long millisOf(Instant at) {
        Objects.requireNonNull(at, "at");
        if (at.isAfter(LATEST)) {
            return Long.MAX_VALUE;
        }
        return Math.max(0L, at.toEpochMilli());
    }

    private static String pad(long millis) {
        String digits = Long.toString(millis);
        return "0".repeat(TIME_WIDTH - digits.length()) + digits;
    }
}
