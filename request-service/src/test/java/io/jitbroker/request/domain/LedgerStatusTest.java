package io.jitbroker.request.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LedgerStatusTest {

    @ParameterizedTest(name = "{0} then {1} is {2}")
    @CsvSource({
        "PENDING, DENIED, DENIED",
        "PENDING, ISSUED, ISSUED",
        "PENDING, REVOKED, REVOKED",
        "DENIED, PENDING, DENIED",
        "DENIED, ISSUED, DENIED",
        "ISSUED, DENIED, ISSUED",
        "ISSUED, PENDING, ISSUED",
        "ISSUED, REVOKED, REVOKED",
        "REVOKED, ISSUED, REVOKED",
        "REVOKED, PENDING, REVOKED"})
    void shouldOnlyMoveForwardWhenAdvanced(LedgerStatus current, LedgerStatus next, LedgerStatus expected) {
        assertEquals(expected, current.advanceTo(next));
    }
}
