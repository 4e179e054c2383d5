package io.jitbroker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void shouldDoubleEachDelayUpToTheCapWhenRetriesKeepFailing() {
        // given
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2));

        // when
        List<Long> delays = Stream.generate(backoff::next).limit(6).map(Duration::toMillis).toList();

        // then
        assertEquals(List.of(200L, 400L, 800L, 1600L, 2000L, 2000L), delays);
    }

    @Test
    void shouldStartAgainFromTheFirstDelayWhenReset() {
        // given
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        backoff.next();
        backoff.next();

        // when
        backoff.reset();

        // then
        assertEquals(Duration.ofMillis(100), backoff.next());
    }
}
