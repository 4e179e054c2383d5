package io.jitbroker.issuer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.issuer.domain.RevocationStateUnknown.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RevocationWatermarksTest {

    private static final Duration BOUND = Duration.ofSeconds(3);
    private static final Instant NOW = Fixtures.T0;
    private static final int PARTITIONS = 3;

    private final UUID grantId = UUID.fromString("6f1c1a52-3c2e-4d5f-9a0b-1c2d3e4f5a6b");
    private final int partition = RevocationPartitions.partitionOf(grantId, PARTITIONS);

    @Test
    void shouldKnowTheStateWhenGrantPartitionConfirmedWithinTheBound() {
        // given
        RevocationWatermarks watermarks = new RevocationWatermarks(PARTITIONS, Map.of(partition, NOW.minusMillis(400)));

        // when
        Optional<RevocationStateUnknown> unknown = watermarks.judge(grantId, NOW, BOUND);

        // then
        assertTrue(unknown.isEmpty());
    }

    @Test
    void shouldKnowTheStateWhenWatermarkIsExactlyAsOldAsTheBound() {
        // given
        RevocationWatermarks watermarks = new RevocationWatermarks(PARTITIONS, Map.of(partition, NOW.minus(BOUND)));

        // when / then
        assertTrue(watermarks.judge(grantId, NOW, BOUND).isEmpty());
    }

    @Test
    void shouldBeStaleWithPartitionAndAgeWhenWatermarkOlderThanTheBound() {
        // given
        RevocationWatermarks watermarks = new RevocationWatermarks(PARTITIONS,
                Map.of(partition, NOW.minus(BOUND).minusMillis(1)));

        // when
        RevocationStateUnknown unknown = watermarks.judge(grantId, NOW, BOUND).orElseThrow();

        // then
        assertEquals(Reason.STALE, unknown.reason());
        assertEquals(partition, unknown.partition());
        assertEquals(BOUND.plusMillis(1), unknown.age());
        assertTrue(unknown.message().contains("partition " + partition + " of jit.revocations.v1"), unknown.message());
        assertTrue(unknown.message().contains("3.0 s ago"), unknown.message());
    }

    @Test
    void shouldBeStaleWhenOnlyAnotherPartitionIsFresh() {
        // given: every other partition confirmed now, the grant's never
        int other = (partition + 1) % PARTITIONS;
        RevocationWatermarks watermarks = new RevocationWatermarks(PARTITIONS, Map.of(other, NOW));

        // when
        RevocationStateUnknown unknown = watermarks.judge(grantId, NOW, BOUND).orElseThrow();

        // then
        assertEquals(Reason.NEVER_CONFIRMED, unknown.reason());
        assertEquals(partition, unknown.partition());
    }

    @Test
    void shouldFailClosedWhenPartitionCountUnknown() {
        // given
        RevocationWatermarks watermarks = new RevocationWatermarks(0, Map.of(0, NOW, 1, NOW, 2, NOW));

        // when
        RevocationStateUnknown unknown = watermarks.judge(grantId, NOW, BOUND).orElseThrow();

        // then
        assertEquals(Reason.PARTITION_COUNT_UNKNOWN, unknown.reason());
    }

    @Test
    void shouldTreatAWatermarkAheadOfThisClockAsFresh() {
        // given: another instance's confirmation, read back a little ahead of this clock
        RevocationWatermarks watermarks = new RevocationWatermarks(PARTITIONS, Map.of(partition, NOW.plusMillis(30)));

        // when / then
        assertTrue(watermarks.judge(grantId, NOW, BOUND).isEmpty());
    }

    @Test
    void shouldReportTheOldestAgeWhenEveryPartitionConfirmed() {
        // given
        RevocationWatermarks watermarks = new RevocationWatermarks(PARTITIONS,
                Map.of(0, NOW.minusMillis(200), 1, NOW.minusSeconds(5), 2, NOW));

        // when / then
        assertEquals(Optional.of(Duration.ofSeconds(5)), watermarks.oldestAge(NOW));
    }

    @Test
    void shouldReportNoOldestAgeWhenAPartitionWasNeverConfirmed() {
        // given
        RevocationWatermarks watermarks = new RevocationWatermarks(PARTITIONS, Map.of(0, NOW, 1, NOW));

        // when / then
        assertTrue(watermarks.oldestAge(NOW).isEmpty());
    }
}
