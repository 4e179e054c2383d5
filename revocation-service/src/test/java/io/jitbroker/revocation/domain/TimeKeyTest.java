package io.jitbroker.revocation.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TimeKeyTest {

    private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void shouldSortByTimeFirstWhenKeysAreComparedAsBytes() {
        // given: an id that would sort first if ids came first, and times of different digit counts
        String early = TimeKey.of(Instant.ofEpochMilli(999), "zzz");
        String late = TimeKey.of(Instant.ofEpochMilli(1000), "aaa");

        // then
        assertTrue(compareBytes(early, late) < 0);
    }

    @Test
    void shouldCoverEveryKeyUpToNowAndNoneAfterWhenUsedAsUpperBound() {
        // given
        String bound = TimeKey.upperBoundThrough(T);

        // then
        assertTrue(compareBytes(TimeKey.of(T, "\uffff\uffff"), bound) <= 0, "a key at now is covered");
        assertTrue(compareBytes(TimeKey.of(T.minusMillis(1), "g"), bound) <= 0, "a key before now is covered");
        assertTrue(compareBytes(TimeKey.of(T.plusMillis(1), ""), bound) > 0, "a key after now is not");
    }

    @Test
    void shouldReturnTimeAndIdWhenKeyIsParsed() {
        // given
        String key = TimeKey.of(T, "g|with|separators");

        // then
        assertEquals(T, TimeKey.timeOf(key));
        assertEquals("g|with|separators", TimeKey.idOf(key));
    }

    @Test
    void shouldSortAsEpochWhenTimeIsBeforeEpoch() {
        // given
        String key = TimeKey.of(Instant.ofEpochMilli(-5), "g");

        // then
        assertEquals(Instant.EPOCH, TimeKey.timeOf(key));
    }

    @Test
    void shouldSortLastInsteadOfOverflowingWhenTimeIsBeyondTheLongRange() {
        // given: a grant valid "forever", plus a retention
        Instant beyond = Instant.ofEpochMilli(Long.MAX_VALUE).plus(java.time.Duration.ofHours(24));

        // then
        assertEquals(Instant.ofEpochMilli(Long.MAX_VALUE), TimeKey.timeOf(TimeKey.of(beyond, "g")));
        assertTrue(compareBytes(TimeKey.of(beyond, "g"), TimeKey.upperBoundThrough(beyond)) <= 0);
    }

    @Test
    void shouldRejectWhenKeyIsNotATimeKey() {
        assertThrows(IllegalArgumentException.class, () -> TimeKey.idOf("g-1"));
    }

    private static int compareBytes(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
