package io.jitbroker.revocation.topology;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RevocationSettingsTest {

    private static final Duration SWEEP = Duration.ofMillis(100);
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration DAY = Duration.ofHours(24);
    private static final Duration GRACE = Duration.ofSeconds(5);

    @Test
    void shouldRejectWhenAnIntervalIsNotPositive() {
        assertThrows(IllegalArgumentException.class,
                () -> new RevocationTopology.Settings(Duration.ZERO, MINUTE, DAY, 10, GRACE));
        assertThrows(IllegalArgumentException.class,
                () -> new RevocationTopology.Settings(SWEEP, Duration.ofMinutes(-1), DAY, 10, GRACE));
    }

    @Test
    void shouldRejectWhenRetentionIsNotPositive() {
        assertThrows(IllegalArgumentException.class,
                () -> new RevocationTopology.Settings(SWEEP, MINUTE, Duration.ZERO, 10, GRACE));
    }

    @Test
    void shouldRejectWhenSweepBoundIsBelowOne() {
        assertThrows(IllegalArgumentException.class,
                () -> new RevocationTopology.Settings(SWEEP, MINUTE, DAY, 0, GRACE));
    }

    @Test
    void shouldRejectWhenHeartbeatGraceIsNegative() {
        assertThrows(IllegalArgumentException.class,
                () -> new RevocationTopology.Settings(SWEEP, MINUTE, DAY, 10, Duration.ofSeconds(-1)));
    }

    @Test
    void shouldAcceptNoHeartbeatGraceWhenItIsZero() {
        assertDoesNotThrow(() -> new RevocationTopology.Settings(SWEEP, MINUTE, DAY, 10, Duration.ZERO));
    }
}
