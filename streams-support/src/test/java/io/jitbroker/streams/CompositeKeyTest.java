package io.jitbroker.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CompositeKeyTest {

    @Test
    void shouldGiveBackThePartsWhenKeyIsSplit() {
        // given: ids with the characters a naive separator would trip on
        String key = CompositeKey.of("spiffe://dev.local/ci/a:b|c", "12:x", "");

        // then
        assertEquals(List.of("spiffe://dev.local/ci/a:b|c", "12:x", ""), CompositeKey.partsOf(key));
        assertEquals("", CompositeKey.lastPartOf(key));
    }

    @Test
    void shouldBeAPrefixOfItsChildrenOnlyWhenOneIdStartsWithAnother() {
        // given: workload "w" and workload "w1"
        String parent = CompositeKey.of("w");

        // then
        assertTrue(CompositeKey.of("w", "g-1").startsWith(parent));
        assertFalse(CompositeKey.of("w1", "g-1").startsWith(parent));
        assertFalse(CompositeKey.of("w", "1").startsWith(CompositeKey.of("w1")));
    }

    @Test
    void shouldRejectWhenStringIsNotACompositeKey() {
        assertThrows(IllegalArgumentException.class, () -> CompositeKey.partsOf("abc"));
        assertThrows(IllegalArgumentException.class, () -> CompositeKey.partsOf("9:short"));
    }
}
