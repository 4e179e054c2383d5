package io.jitbroker.request.domain;

/**
 * Which page of a newest-first list is asked for: at most {@code limit} items, after {@code after}
 * (null: from the newest).
 */
public record PageRequest(int limit, PageCursor after) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    public static final String LIMIT = "limit";
    public static final String CURSOR = "cursor";

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + ", was " + limit);
        }
    }

    /** Reads {@code limit} (1 to 500, default 50) and {@code cursor}. */
    public static PageRequest from(QueryParameters parameters) {
        int limit = parameters.wholeNumber(LIMIT, 1, MAX_LIMIT, DEFAULT_LIMIT);
        PageCursor after = parameters.parsed(CURSOR, token -> PageCursor.decode(CURSOR, token));
        return new PageRequest(limit, after);
    }
}
