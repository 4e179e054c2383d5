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
        "REVOKED, PENDING, REVOKED",
        "PENDING, PENDING_APPROVAL, PENDING_APPROVAL",
        "PENDING_APPROVAL, APPROVED, APPROVED",
        "PENDING_APPROVAL, DENIED, DENIED",
        "PENDING_APPROVAL, PENDING, PENDING_APPROVAL",
        "APPROVED, ISSUED, ISSUED",
        "APPROVED, PENDING_APPROVAL, APPROVED",
        "APPROVED, PENDING, APPROVED",
        "ISSUED, APPROVED, ISSUED",
        "ISSUED, PENDING_APPROVAL, ISSUED",
        "DENIED, APPROVED, DENIED",
        "REVOKED, PENDING_APPROVAL, REVOKED"})
    void shouldOnlyMoveForwardWhenAdvanced(LedgerStatus current, LedgerStatus next, LedgerStatus expected) {
        assertEquals(expected, current.advanceTo(next));
    }

    @ParameterizedTest(name = "a {0} decision leads to {1}")
    @CsvSource({"PENDING_APPROVAL, PENDING_APPROVAL", "APPROVED, APPROVED", "DENIED, DENIED"})
    void shouldLeadToTheOutcomesStatusWhenDecided(DecisionOutcome outcome, LedgerStatus expected) {
        assertEquals(expected, LedgerStatus.after(outcome));
    }
}
