package io.jitbroker.request.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionTimelineTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:34:56Z");

    @Test
    void shouldCoverTheHourUpToTheEndOfTheCurrentMinuteWhenNoWindowIsGiven() {
        // when
        DecisionTimeline.Window window = DecisionTimeline.window(new QueryParameters(Map.of()), NOW);

        // then
        assertEquals(new DecisionTimeline.Window(Instant.parse("2026-11-23T11:35:00Z"), Instant.parse("2026-11-23T12:35:00Z")),
                window);
        assertEquals(60, window.minutes().size());
    }

    @Test
    void shouldRoundOutToWholeMinutesWhenTheWindowIsGiven() {
        // when
        DecisionTimeline.Window window = DecisionTimeline.window(new QueryParameters(Map.of(
                "from", List.of("2026-11-23T10:00:30Z"), "to", List.of("2026-11-23T10:02:01Z"))), NOW);

        // then
        assertEquals(List.of(Instant.parse("2026-11-23T10:00:00Z"), Instant.parse("2026-11-23T10:01:00Z"),
                Instant.parse("2026-11-23T10:02:00Z")), window.minutes());
    }

    @Test
    void shouldRefuseNamingFromWhenTheWindowIsLongerThanADay() {
        // when
        InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> DecisionTimeline.window(
                new QueryParameters(Map.of("from", List.of("2026-11-20T00:00:00Z"))), NOW));

        // then
        assertEquals("from", error.field());
    }

    @Test
    void shouldRefuseNamingToWhenItIsBeyondWhatTheDatabaseStores() {
        // when
        InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> DecisionTimeline.window(
                new QueryParameters(Map.of("to", List.of("+999999-01-01T00:00:00Z"))), NOW));

        // then
        assertEquals("to", error.field());
    }

    @Test
    void shouldRefuseAnyOtherParameter() {
        // when
        InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> DecisionTimeline.window(
                new QueryParameters(Map.of("status", List.of("DENIED"))), NOW));

        // then
        assertEquals("status", error.field());
    }

    @Test
    void shouldFillEveryMinuteWithZerosWhereNothingWasDecided() {
        // given
        DecisionTimeline.Window window = new DecisionTimeline.Window(Instant.parse("2026-11-23T10:00:00Z"),
                Instant.parse("2026-11-23T10:03:00Z"));
        Map<Instant, Map<DecisionOutcome, Long>> counts = Map.of(Instant.parse("2026-11-23T10:01:00Z"),
                Map.of(DecisionOutcome.APPROVED, 3L, DecisionOutcome.PENDING_APPROVAL, 1L));

        // when
        List<DecisionTimeline.Minute> minutes = DecisionTimeline.fill(window, counts);

        // then
        assertEquals(List.of(
                new DecisionTimeline.Minute(Instant.parse("2026-11-23T10:00:00Z"), 0, 0, 0),
                new DecisionTimeline.Minute(Instant.parse("2026-11-23T10:01:00Z"), 3, 0, 1),
                new DecisionTimeline.Minute(Instant.parse("2026-11-23T10:02:00Z"), 0, 0, 0)), minutes);
    }
}
