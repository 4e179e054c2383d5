package io.jitbroker.request.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PageCursorTest {

    @Test
    void shouldDecodeWhatItEncodedWhenTheIdHoldsTheSeparator() {
        // given
        PageCursor cursor = new PageCursor(Instant.parse("2026-11-23T10:15:30.123456Z"), "id|with|bars");

        // when
        PageCursor decoded = PageCursor.decode("cursor", cursor.encode());

        // then
        assertEquals(cursor, decoded);
    }

    @Test
    void shouldBeSafeInAUrlWithoutEscaping() {
        // when
        String token = new PageCursor(Instant.parse("2026-11-23T10:15:30Z"), "spiffe://dev.local/ci/x?y=1").encode();

        // then
        assertTrue(token.matches("[A-Za-z0-9_-]+"), token);
        assertFalse(token.contains("2026"), "opaque: " + token);
    }

    static Stream<String> notCursors() {
        return Stream.of("%%%", "bm90IGEgY3Vyc29y", encoded("v2|2026-11-23T10:15:30Z|req-1"),
                encoded("v1|yesterday|req-1"), encoded("v1|2026-11-23T10:15:30Z|"), "A".repeat(5000));
    }

    @ParameterizedTest
    @MethodSource("notCursors")
    void shouldRefuseNamingTheParameterWhenTheTokenIsNotOneWeIssued(String token) {
        // when
        InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> PageCursor.decode("cursor", token));

        // then
        assertEquals("cursor", error.field());
    }

    private static String encoded(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }
}
