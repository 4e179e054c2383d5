package io.jitbroker.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

class StreamsReadinessTest {

    private final StreamsReadiness readiness = new StreamsReadiness();

    @Test
    void shouldNotBeReadyWhenStreamsHaveNotStarted() {
        assertFalse(readiness.ready());
        assertEquals("NOT_CREATED", readiness.stateName());
    }

    @Test
    void shouldNotBeReadyWhenFirstRebalanceIsNotOver() {
        // when
        readiness.onStateChange(State.REBALANCING);

        // then
        assertFalse(readiness.ready());
    }

    @Test
    void shouldBeReadyWhenStreamsAreRunning() {
        // when
        readiness.onStateChange(State.REBALANCING);
        readiness.onStateChange(State.RUNNING);

        // then
        assertTrue(readiness.ready());
        assertTrue(readiness.reachedRunning());
    }

    @Test
    void shouldStayReadyWhenRebalancingAfterHavingRun() {
        // given
        readiness.onStateChange(State.RUNNING);

        // when
        readiness.onStateChange(State.REBALANCING);

        // then
        assertTrue(readiness.ready());
    }

    @Test
    void shouldNotBeReadyWhenStreamsFailOrStop() {
        // given
        readiness.onStateChange(State.RUNNING);

        // when
        readiness.onStateChange(State.ERROR);

        // then
        assertFalse(readiness.ready());
        readiness.onStateChange(State.PENDING_SHUTDOWN);
        assertFalse(readiness.ready());
    }
}
