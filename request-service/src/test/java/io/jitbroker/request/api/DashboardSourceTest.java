package io.jitbroker.request.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's sources keep the rules its safety rests on: no inline script, style or event
 * handler (the policy would block them anyway), nothing fetched from another origin (no CDN: the
 * pages must work where nothing external is reachable), and no API that parses a string as HTML or
 * code, so that no value from the ledger can ever become markup.
 */
class DashboardSourceTest {

    private static final List<String> FILES = List.of("index.html", "dashboard.js", "dashboard.css");

    static Stream<String> files() {
        return FILES.stream();
    }

    @Test
    void shouldLoadScriptsOnlyFromFilesAndHaveNoInlineHandlersOrStyles() throws IOException {
        // given
        String html = read("index.html");

        // then
        Matcher scripts = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(html);
        int count = 0;
        while (scripts.find()) {
            count++;
            assertTrue(scripts.group(1).contains("src=\"/dashboard/"), scripts.group());
            assertEquals("", scripts.group(2).trim(), "inline script: " + scripts.group());
        }
        assertEquals(1, count);
        assertFalse(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "inline handler");
        assertFalse(html.contains("style="), "inline style attribute");
        assertFalse(html.contains("<style"), "inline style element");
    }

    @ParameterizedTest
    @MethodSource("files")
    void shouldReferToNoOtherOrigin(String file) throws IOException {
        // when
        String source = read(file);

        // then: the only absolute URLs are the ones shown to the reader as text (dev stack commands)
        Matcher urls = Pattern.compile("(src|href|url)\\s*[=(]\\s*['\"]?(https?:)?//").matcher(source);
        assertFalse(urls.find(), file + " loads from another origin");
    }

    @Test
    void shouldNeverTurnStringsIntoMarkupOrCode() throws IOException {
        // given
        String script = read("dashboard.js");

        // then
        for (String forbidden : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                "new Function", "setTimeout('", "setInterval('", "'style'", "\"style\"", "javascript:")) {
            assertFalse(script.contains(forbidden), "dashboard.js uses " + forbidden);
        }
        assertTrue(script.contains("textContent") && script.contains("createTextNode"), "renders text as text");
    }

    private static String read(String file) throws IOException {
        try (InputStream in = DashboardSourceTest.class.getResourceAsStream("/public/dashboard/" + file)) {
            assertNotNull(in, file + " is not on the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
