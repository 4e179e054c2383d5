package io.jitbroker.request.domain;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * Where a newest-first page ended: the position (a timestamp) and the id of its last item, which
 * breaks ties between items of the same instant. The next page starts strictly after it, so pages
 * never repeat or skip an item, even while new items arrive at the top. Clients see it only as an
 * opaque token.
 */
public record PageCursor(Instant position, String id) {

    private static final String VERSION = "v1";
    private static final int MAX_ENCODED_LENGTH = 4096;

    public PageCursor {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(id, "id");
    }

    public String encode() {
        String plain = VERSION + "|" + position + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws InvalidRequestException naming {@code parameter} when the token is not one we issued */
    public static PageCursor decode(String parameter, String token) {
        try {
            if (token.length() > MAX_ENCODED_LENGTH) {
                throw new IllegalArgumentException("too long");
            }
            String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] parts = plain.split("\\|", 3);
            if (parts.length != 3 || !VERSION.equals(parts[0]) || parts[2].isEmpty()) {
                throw new IllegalArgumentException("not a page cursor");
            }
            return new PageCursor(Instant.parse(parts[1]), parts[2]);
        } catch (IllegalArgumentException | DateTimeException e) {
            throw new InvalidRequestException(parameter, parameter
                    + " is not a cursor this service issued; pass the nextCursor of the previous page, or leave it out");
        }
    }
}
