package io.jitbroker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DeliveriesTest {

    private static final String GROUP = "completions";

    @Test
    void shouldCountMissingDuplicateAndWrongKindWhenOutputsArriveTwiceNeverOrOtherwise() {
        // given three expected revocations
        Deliveries deliveries = new Deliveries();
        deliveries.expect("g1", GROUP, "TASK_COMPLETED", true, 1_000);
        deliveries.expect("g2", GROUP, "TASK_COMPLETED", true, 1_000);
        deliveries.expect("g3", GROUP, "TASK_COMPLETED", true, 1_000);

        // when g1 arrives twice, g2 with another reason, g3 never, and one nobody expected
        deliveries.received("g1", "TASK_COMPLETED", 101_000, Deliveries.UNSET);
        deliveries.received("g1", "TASK_COMPLETED", 202_000, Deliveries.UNSET);
        deliveries.received("g2", "TTL_EXPIRED", 51_000, Deliveries.UNSET);
        deliveries.received("other", "MANUAL", 60_000, Deliveries.UNSET);

        // then each anomaly is counted, and latencies are taken from the first receipts
        Deliveries.Outcome outcome = deliveries.outcome(GROUP);
        assertEquals(3, outcome.expected());
        assertEquals(2, outcome.received());
        assertEquals(1, outcome.missing());
        assertEquals(1, outcome.duplicates());
        assertEquals(1, outcome.wrongKind());
        assertEquals(1, deliveries.unexpected());
        assertEquals(2, outcome.latencies().getTotalCount());
        assertEquals(100.0, outcome.latencies().getMaxValue() / 1000.0, 0.1);
    }

    @Test
    void shouldLeaveWarmupOutOfLatenciesWhenNotRecorded() {
        // given one warm-up and one recorded expectation
        Deliveries deliveries = new Deliveries();
        deliveries.expect("warm", GROUP, null, false, 0);
        deliveries.expect("measured", GROUP, null, true, 0);

        // when both arrive
        deliveries.received("warm", null, 900_000, Deliveries.UNSET);
        deliveries.received("measured", null, 10_000, Deliveries.UNSET);

        // then only the recorded one is in the latencies, and both count as received
        Deliveries.Outcome outcome = deliveries.outcome(GROUP);
        assertEquals(2, outcome.received());
        assertEquals(1, outcome.latencies().getTotalCount());
        assertEquals(10.0, outcome.latencies().getMaxValue() / 1000.0, 0.1);
    }
}
