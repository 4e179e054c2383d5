package io.jitbroker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FlowBenchOptionsTest {

    @Test
    void shouldOfferFiveHundredFlowsASecondAfterABurstOfTwoHundredWhenNoOptionIsGiven() {
        // when
        FlowBenchOptions options = FlowBenchOptions.parse(List.of());

        // then
        assertEquals(200, options.burst());
        assertEquals(30, options.idleFlows());
        assertEquals(10.0, options.warmupRate());
        assertEquals(60, options.warmupSeconds());
        assertEquals(500.0, options.rate());
        assertEquals(30, options.seconds());
        assertEquals(List.of(10.0, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0, 75.0, 100.0, 150.0, 200.0, 300.0, 500.0, 700.0,
                1000.0, 1300.0), options.searchRates());
        assertFalse(options.keepFiles());
    }

    @Test
    void shouldTakeEveryOptionWhenGiven() {
        // when
        FlowBenchOptions options = FlowBenchOptions.parse(List.of("--burst", "10", "--idle-flows", "5",
                "--warmup-rate", "0", "--warmup-seconds", "3", "--rate", "50",
                "--seconds", "10", "--search-rates", "20,40", "--step-seconds", "5", "--workloads", "7",
                "--keep-files", "yes"));

        // then
        assertEquals(10, options.burst());
        assertEquals(5, options.idleFlows());
        assertEquals(0.0, options.warmupRate());
        assertEquals(3, options.warmupSeconds());
        assertEquals(50.0, options.rate());
        assertEquals(List.of(20.0, 40.0), options.searchRates());
        assertEquals(5, options.stepSeconds());
        assertEquals(7, options.workloads());
        assertTrue(options.keepFiles());
    }

    @Test
    void shouldRefuseWhenARateIsNotPositive() {
        // when
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> FlowBenchOptions.parse(List.of("--search-rates", "100,0")));

        // then
        assertTrue(error.getMessage().contains("--search-rates"), error.getMessage());
    }

    @Test
    void shouldRefuseWhenAnOptionIsUnknown() {
        // when
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> FlowBenchOptions.parse(List.of("--rates", "100")));

        // then
        assertTrue(error.getMessage().contains("unknown option --rates"), error.getMessage());
    }
}
