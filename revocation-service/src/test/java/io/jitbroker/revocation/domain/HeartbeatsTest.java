package io.jitbroker.revocation.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HeartbeatsTest {

    private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final Duration GRACE = Duration.ofSeconds(5);

    @Test
    void shouldCountFromIssueWhenTaskHasNotBeaten() {
        assertEquals(T.plusSeconds(35), Heartbeats.deadline(T, Optional.empty(), INTERVAL, GRACE));
    }

    @Test
    void shouldCountFromLastBeatWhenItCameAfterIssue() {
        assertEquals(T.plusSeconds(45), Heartbeats.deadline(T, Optional.of(T.plusSeconds(10)), INTERVAL, GRACE));
    }

    @Test
    void shouldCountFromIssueWhenLastBeatCameBeforeIt() {
        assertEquals(T.plusSeconds(35), Heartbeats.deadline(T, Optional.of(T.minusSeconds(10)), INTERVAL, GRACE));
    }

    @Test
    void shouldCapABeatAtItsArrivalWhenItClaimsALaterTime() {
        assertEquals(T, Heartbeats.effectiveBeat(T.plusSeconds(3600), T));
        assertEquals(T.minusSeconds(1), Heartbeats.effectiveBeat(T.minusSeconds(1), T));
    }

    @Test
    void shouldDescribeDurationsShortlyWhenWritingDetails() {
        assertEquals("30s", Heartbeats.describe(INTERVAL));
        assertEquals("1500ms", Heartbeats.describe(Duration.ofMillis(1500)));
    }
}
