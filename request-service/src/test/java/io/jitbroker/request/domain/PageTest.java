package io.jitbroker.request.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PageTest {

    private static final Function<Integer, PageCursor> CURSOR =
            n -> new PageCursor(Instant.ofEpochSecond(n), Integer.toString(n));

    @Test
    void shouldShowTheLimitAndPointAtTheLastShownWhenOneMoreWasFetched() {
        // when
        Page<Integer> page = Page.of(List.of(9, 8, 7), 2, CURSOR);

        // then
        assertEquals(List.of(9, 8), page.items());
        assertEquals(CURSOR.apply(8), page.next());
    }

    @Test
    void shouldHaveNoNextPageWhenNoMoreThanTheLimitWasFetched() {
        // when
        Page<Integer> page = Page.of(List.of(9, 8), 2, CURSOR);

        // then
        assertEquals(List.of(9, 8), page.items());
        assertNull(page.next());
    }

    @Test
    void shouldBeEmptyWithoutNextPageWhenNothingWasFetched() {
        // when
        Page<Integer> page = Page.of(List.of(), 50, CURSOR);

        // then
        assertEquals(List.of(), page.items());
        assertNull(page.next());
    }
}
