package io.jitbroker.issuer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.issuer.domain.CatchUpTracker.Confirmation;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CatchUpTrackerTest {

    private final MutableClock clock = new MutableClock(Fixtures.T0);
    private final CatchUpTracker tracker = new CatchUpTracker();

    @Test
    void shouldConfirmAtTheTimeTheEndWasAskedWhenPositionIsAtTheEnd() {
        // given: an idle partition, everything up to offset 10 applied
        Set<Integer> toProbe = tracker.positions(Set.of(0), Map.of(0, 10L), clock.instant());
        Instant asked = clock.instant();

        // when
        tracker.endOffsets(Map.of(0, 10L), asked);

        // then
        assertEquals(Set.of(0), toProbe);
        assertEquals(Map.of(0, new Confirmation(asked, 10L)), tracker.takeUnrecorded());
    }

    @Test
    void shouldNotConfirmWhenTheLogEndIsAheadOfWhatWasApplied() {
        // given: a revocation at offset 10 not applied yet
        tracker.positions(Set.of(0), Map.of(0, 10L), clock.instant());

        // when
        tracker.endOffsets(Map.of(0, 11L), clock.instant());

        // then
        assertTrue(tracker.takeUnrecorded().isEmpty());
    }

    @Test
    void shouldConfirmAsOfTheProbeWhenPositionReachesItsEndLater() {
        // given: the end asked at t0 was 11, then more revocations arrived; the consumer applied through 11 only
        tracker.positions(Set.of(0), Map.of(0, 10L), clock.instant());
        Instant asked = clock.instant();
        tracker.endOffsets(Map.of(0, 11L), asked);
        clock.advance(Duration.ofMillis(500));

        // when
        Set<Integer> toProbe = tracker.positions(Set.of(0), Map.of(0, 11L), clock.instant());

        // then: caught up as of t0 (everything written before it is applied), and a new probe is due
        assertEquals(Map.of(0, new Confirmation(asked, 11L)), tracker.takeUnrecorded());
        assertEquals(Set.of(0), toProbe);
    }

    @Test
    void shouldKeepTheOutstandingProbeWhenPositionHasNotReachedIt() {
        // given
        tracker.positions(Set.of(0), Map.of(0, 10L), clock.instant());
        tracker.endOffsets(Map.of(0, 20L), clock.instant());
        clock.advance(Duration.ofMillis(500));

        // when
        Set<Integer> toProbe = tracker.positions(Set.of(0), Map.of(0, 15L), clock.instant());

        // then: no second end offset asked while the first is not reached (a busy partition still confirms)
        assertTrue(toProbe.isEmpty());
        assertTrue(tracker.takeUnrecorded().isEmpty());
    }

    @Test
    void shouldConfirmNothingWhenEndOffsetsCouldNotBeRead() {
        // given: a consumer cut off from the broker: positions are known locally, end offsets never come
        tracker.positions(Set.of(0, 1), Map.of(0, 10L, 1, 3L), clock.instant());

        // when
        tracker.endOffsets(Map.of(), clock.instant());

        // then
        assertTrue(tracker.takeUnrecorded().isEmpty());
    }

    @Test
    void shouldForgetPartitionsNoLongerHeldWhenReassigned() {
        // given: partition 1 confirmed, with an unrecorded confirmation and an outstanding probe on 0
        tracker.positions(Set.of(0, 1), Map.of(0, 10L, 1, 3L), clock.instant());
        tracker.endOffsets(Map.of(0, 12L, 1, 3L), clock.instant());

        // when: the group took partition 1 away
        tracker.positions(Set.of(0), Map.of(0, 10L), clock.instant());

        // then: nothing is recorded for a partition another instance now holds
        assertEquals(Set.of(0), tracker.heldKnownSince().keySet());
        tracker.unrecorded(Map.of(1, new Confirmation(clock.instant(), 3L)));
        assertTrue(tracker.takeUnrecorded().isEmpty());
    }

    @Test
    void shouldKeepAConfirmationForTheNextWriteWhenRecordingFailed() {
        // given
        tracker.positions(Set.of(0), Map.of(0, 4L), clock.instant());
        tracker.endOffsets(Map.of(0, 4L), clock.instant());
        Map<Integer, Confirmation> taken = tracker.takeUnrecorded();

        // when
        tracker.unrecorded(taken);

        // then
        assertEquals(taken, tracker.takeUnrecorded());
    }

    @Test
    void shouldGiveANewlyHeldPartitionItsAssignmentAsKnownSinceUntilConfirmed() {
        // given
        Instant assigned = clock.instant();
        tracker.positions(Set.of(2), Map.of(2, 7L), assigned);
        clock.advance(Duration.ofSeconds(1));
        tracker.endOffsets(Map.of(2, 9L), clock.instant());

        // when
        Map<Integer, Instant> since = tracker.heldKnownSince();

        // then
        assertEquals(Map.of(2, assigned), since);
    }

    @Test
    void shouldReportTheLastConfirmationAsKnownSinceOnceConfirmed() {
        // given
        tracker.positions(Set.of(2), Map.of(2, 7L), clock.instant());
        clock.advance(Duration.ofSeconds(1));
        Instant asked = clock.instant();

        // when
        tracker.endOffsets(Map.of(2, 7L), asked);

        // then
        assertEquals(Map.of(2, asked), tracker.heldKnownSince());
    }
}
