package io.jitbroker.request.domain;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a newest-first list.
 *
 * @param next where the next page starts; null when this is the last page
 */
public record Page<T>(List<T> items, PageCursor next) {

    public Page {
        items = List.copyOf(items);
    }

    /**
     * The page out of {@code fetched}, which holds up to limit + 1 items: the extra one only says
     * that there is more, and the cursor points at the last item shown.
     */
    public static <T> Page<T> of(List<T> fetched, int limit, Function<T, PageCursor> cursorOf) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, null);
        }
        List<T> shown = fetched.subList(0, limit);
        return new Page<>(shown, cursorOf.apply(shown.get(limit - 1)));
    }
}
