package io.jitbroker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RevocationBenchOptionsTest {

    @Test
    void shouldUseTheDocumentedDefaultsWhenNoOptionIsGiven() {
        // when
        RevocationBenchOptions options = RevocationBenchOptions.parse(List.of());

        // then
        assertEquals(1000, options.rate());
        assertEquals(30, options.seconds());
        assertEquals(1_000_000, options.active());
        assertEquals(1_000_000, options.massExpiry());
        assertEquals(60, options.massExpiryWindowSeconds());
        assertEquals(100, options.commitIntervalMs());
        assertEquals(35_000, options.totalTasks());
        assertEquals(5_000, options.warmupTasks());
    }

    @Test
    void shouldOverrideOnlyTheGivenOptionsWhenScaledDown() {
        // when
        RevocationBenchOptions options = RevocationBenchOptions.parse(
                List.of("--rate", "50", "--seconds", "3", "--active", "2000", "--commit-interval-ms", "10"));

        // then
        assertEquals(50, options.rate());
        assertEquals(3, options.seconds());
        assertEquals(2000, options.active());
        assertEquals(10, options.commitIntervalMs());
        assertEquals(5, options.warmupSeconds());
    }

    @Test
    void shouldNameTheOptionWhenItIsUnknownOrInvalid() {
        // when / then
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> RevocationBenchOptions.parse(List.of("--rat", "5")));
        assertTrue(unknown.getMessage().startsWith("unknown option --rat"), unknown.getMessage());
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                () -> RevocationBenchOptions.parse(List.of("--rate", "0")));
        assertTrue(invalid.getMessage().startsWith("--rate must be positive"), invalid.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> RevocationBenchOptions.parse(List.of("--seconds")));
        assertTrue(missing.getMessage().startsWith("--seconds needs a value"), missing.getMessage());
    }
}
