package io.jitbroker.revocation.topology;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RevocationSettingsTest {

    @Test
    void shouldRejectWhenAnIntervalIsNotPositive() {
        assertThrows(IllegalArgumentException.class,
                () -> new RevocationTopology.Settings(Duration.ZERO, Duration.ofMinutes(1), Duration.ofHours(24), 10));
        assertThrows(IllegalArgumentException.class,
                () -> new RevocationTopology.Settings(Duration.ofMillis(100), Duration.ofMinutes(-1), Duration.ofHours(24), 10));
    }

    @Test
    void shouldRejectWhenRetentionIsNotPositive() {
        assertThrows(IllegalArgumentException.class,
                () -> new RevocationTopology.Settings(Duration.ofMillis(100), Duration.ofMinutes(1), Duration.ZERO, 10));
    }

    @Test
    void shouldRejectWhenSweepBoundIsBelowOne() {
        assertThrows(IllegalArgumentException.class,
                () -> new RevocationTopology.Settings(Duration.ofMillis(100), Duration.ofMinutes(1), Duration.ofHours(24), 0));
    }
}
