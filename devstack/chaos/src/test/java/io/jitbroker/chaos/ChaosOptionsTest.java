package io.jitbroker.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosOptionsTest {

    @Test
    void shouldRunTheShortScheduleWhenNoOptionIsGiven() {
        // when
        ChaosOptions options = ChaosOptions.parse(List.of());

        // then
        assertEquals("short", options.schedule());
        assertEquals(0, options.minutes());
        assertFalse(options.clean());
    }

    @Test
    void shouldTakeEveryOptionWhenGiven() {
        // when
        ChaosOptions options = ChaosOptions.parse(List.of("--schedule", "full", "--minutes", "20", "--rate", "3"));

        // then
        assertEquals("full", options.schedule());
        assertEquals(20, options.minutes());
        assertEquals(3.0, options.rate());
    }

    @Test
    void shouldOnlyCleanWhenAskedTo() {
        assertTrue(ChaosOptions.parse(List.of("--clean")).clean());
    }

    @Test
    void shouldRefuseAnUnknownScheduleWithTheUsage() {
        // when
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ChaosOptions.parse(List.of("--schedule", "long")));

        // then
        assertTrue(refused.getMessage().contains("--schedule must be short or full, got 'long'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("usage: ./jit-broker chaos"), refused.getMessage());
    }

    @Test
    void shouldRefuseAnOptionWithoutItsValue() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ChaosOptions.parse(List.of("--minutes")));
        assertTrue(refused.getMessage().startsWith("--minutes needs a value"), refused.getMessage());
    }
}
