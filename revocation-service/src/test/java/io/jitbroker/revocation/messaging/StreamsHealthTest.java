package io.jitbroker.revocation.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class StreamsHealthTest {

    private final StreamsHealth readiness = new StreamsHealth();

    @Test
    void shouldBeDownWhenStreamsHaveNotStarted() {
        assertEquals(HealthStatus.DOWN, status());
    }

    @Test
    void shouldBeDownWhenFirstRebalanceIsNotOver() {
        // when
        readiness.onStateChange(State.REBALANCING);

        // then
        assertEquals(HealthStatus.DOWN, status());
    }

    @Test
    void shouldBeUpWhenStreamsAreRunning() {
        // when
        readiness.onStateChange(State.REBALANCING);
        readiness.onStateChange(State.RUNNING);

        // then
        assertEquals(HealthStatus.UP, status());
    }

    @Test
    void shouldStayUpWhenRebalancingAfterHavingRun() {
        // given
        readiness.onStateChange(State.RUNNING);

        // when
        readiness.onStateChange(State.REBALANCING);

        // then
        assertEquals(HealthStatus.UP, status());
    }

    @Test
    void shouldBeDownWhenStreamsFailOrStop() {
        // given
        readiness.onStateChange(State.RUNNING);

        // when
        readiness.onStateChange(State.ERROR);

        // then
        assertEquals(HealthStatus.DOWN, status());
        readiness.onStateChange(State.PENDING_SHUTDOWN);
        assertEquals(HealthStatus.DOWN, status());
    }

    private HealthStatus status() {
        HealthResult result = Mono.from(readiness.getResult()).block();
        return result.getStatus();
    }
}
