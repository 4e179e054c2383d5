package io.jitbroker.request.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BreakGlassMarkingTest {

    private static final String WORKLOAD = "spiffe://dev.local/ci/deployer";
    private static final Instant REQUESTED = Instant.parse("2026-01-01T10:00:00Z");
    private static final RequestedResource DB = new RequestedResource("postgres", "orders-db", List.of("write"));

    private static LedgerEntry requested(boolean breakGlass) {
        return LedgerEntry.pending("req-1", WORKLOAD,
                new ValidAccessRequest("task-1", "prod", List.of(DB), 900, null, "prod is down, INC-9", breakGlass, null),
                null, REQUESTED);
    }

    private static LedgerEntry decided(LedgerEntry entry, boolean breakGlass, List<String> reasons) {
        return entry.apply(new LedgerEvent.Decided("req-1", WORKLOAD, DecisionOutcome.APPROVED, reasons, "policy-7",
                List.of(DB), 300, REQUESTED.plusSeconds(1), null, breakGlass, null, null, null));
    }

    @Test
    void shouldBeginEveryReasonWithTheMarkWhenTheEntryIsBreakGlass() {
        // given
        LedgerEntry entry = decided(requested(true), true, List.of("break-glass rule bg-prod", "ttl capped at 300 s"));

        // when
        List<String> shown = BreakGlassMarking.reasons(entry);

        // then
        assertEquals(List.of("BREAK-GLASS: break-glass rule bg-prod", "BREAK-GLASS: ttl capped at 300 s"), shown);
        // and what is stored is policy's own words
        assertEquals(List.of("break-glass rule bg-prod", "ttl capped at 300 s"), entry.decisionReasons());
    }

    @Test
    void shouldNotMarkTwiceWhenPolicyMarkedAReasonAlready() {
        // given
        LedgerEntry entry = decided(requested(true), true, List.of("BREAK-GLASS: rule bg-prod", "BREAK-GLASS:terse"));

        // then
        assertEquals(List.of("BREAK-GLASS: rule bg-prod", "BREAK-GLASS:terse"), BreakGlassMarking.reasons(entry));
    }

    @Test
    void shouldMarkWhenOnlyPolicyDecidedItAsBreakGlass() {
        // given
        LedgerEntry entry = decided(requested(false), true, List.of("break-glass rule bg-prod"));

        // then
        assertEquals(List.of("BREAK-GLASS: break-glass rule bg-prod"), BreakGlassMarking.reasons(entry));
    }

    @Test
    void shouldShowReasonsAsTheyAreWhenTheEntryIsNotBreakGlass() {
        // given
        LedgerEntry entry = decided(requested(false), false, List.of("rule deploy-prod"));

        // then
        assertEquals(List.of("rule deploy-prod"), BreakGlassMarking.reasons(entry));
    }

    @Test
    void shouldShowNoReasonsWhenNothingIsDecidedYet() {
        assertNull(BreakGlassMarking.reasons(requested(true)));
    }
}
