package io.jitbroker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyBenchOptionsTest {

    @Test
    void shouldUseTheShortDefaultsWhenNoOptionIsGiven() {
        // when
        PolicyBenchOptions options = PolicyBenchOptions.parse(List.of());

        // then
        assertEquals(List.of(10, 100, 1000), options.ruleCounts());
        assertEquals(3, options.warmupIterations());
        assertEquals(5, options.iterations());
        assertEquals(1, options.iterationSeconds());
        assertEquals(1, options.forks());
        assertFalse(options.withoutConditions());
        assertEquals(1000, options.largestRuleCount());
    }

    @Test
    void shouldLengthenTheRunWhenAsked() {
        // when
        PolicyBenchOptions options = PolicyBenchOptions.parse(List.of("--rules", "5000,1000", "--warmup-iterations", "5",
                "--iterations", "10", "--iteration-seconds", "3", "--forks", "2", "--without-conditions", "yes"));

        // then
        assertEquals(List.of(1000, 5000), options.ruleCounts());
        assertEquals(5000, options.largestRuleCount());
        assertEquals(10, options.iterations());
        assertEquals(3, options.iterationSeconds());
        assertEquals(2, options.forks());
        assertTrue(options.withoutConditions());
    }

    @Test
    void shouldNameTheOptionWhenItIsUnknownOrInvalid() {
        // when / then
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> PolicyBenchOptions.parse(List.of("--rule", "10")));
        assertTrue(unknown.getMessage().startsWith("unknown option --rule"), unknown.getMessage());
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                () -> PolicyBenchOptions.parse(List.of("--rules", "10,x")));
        assertTrue(invalid.getMessage().startsWith("--rules must be a whole number"), invalid.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> PolicyBenchOptions.parse(List.of("--iterations", "0")));
        assertTrue(zero.getMessage().startsWith("--iterations must be positive"), zero.getMessage());
    }
}
