package io.jitbroker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RevocationTargetsTest {

    @Test
    void shouldMissNothingWhenEveryFigureIsAtItsTarget() {
        assertEquals(List.of(), RevocationTargets.missed(150, 1.5, 250, 60, 1_000.0));
    }

    @Test
    void shouldNameEveryFigurePastItsTarget() {
        assertEquals(List.of("p99_ms 185.6 > 150", "ratio_p99 1.6 > 1.5", "mass_expiry_late_p99_ms 1579.0 > 1000"),
                RevocationTargets.missed(185.6, 1.6, 212.9, 21.8, 1_579.0));
    }

    @Test
    void shouldSkipMassExpiryWhenTheRunHadNone() {
        assertEquals(List.of(), RevocationTargets.missed(100, 1.0, 200, 10, null));
    }

    @Test
    void shouldMissAFigureThatWasNotMeasured() {
        assertEquals(List.of("expiry_late_p99_ms NaN > 250"), RevocationTargets.missed(100, 1.0, Double.NaN, 10, null));
    }
}
