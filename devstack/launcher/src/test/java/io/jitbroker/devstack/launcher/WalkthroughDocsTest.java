package io.jitbroker.devstack.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitbroker.devstack.launcher.WalkthroughDocs.WalkthroughPath;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How WalkthroughIT reads the docs and what the blocks print, without a dev stack. */
class WalkthroughDocsTest {

    private static final Path ROOT = DevStackOptions.locateRepositoryRoot();

    @Test
    void shouldTakeJitctlThenTheHelpersAndTheCurlPathWhenReadingTheReadme() {
        // when
        WalkthroughPath readme = WalkthroughDocs.readmePath(ROOT);

        // then: jitctl run first; then the token and helpers, and the same flow with curl
        assertEquals(3, readme.blocks().size(), readme.toString());
        assertTrue(readme.blocks().get(0).contains("./jitctl run "), readme.blocks().get(0));
        assertTrue(readme.blocks().get(1).contains("await_status()"), readme.blocks().get(1));
        assertTrue(readme.blocks().get(2).contains("/v1/access-requests"), readme.blocks().get(2));
    }

    @Test
    void shouldRewriteEveryDevStackAddressWhenPointingABlockAtOtherPorts() {
        // given
        DevStackOptions defaults = DevStackOptions.fromEnvironment(Map.of(), ROOT);
        DevStackOptions other = new DevStackOptions(ROOT, ROOT, 18080, 18081, 18082, 18083, 18086, 19092, 18085, 15433);
        String block = "curl http://127.0.0.1:8080/v1/x http://127.0.0.1:8081/y http://127.0.0.1:8086/v1/tokens # port 5433";

        // when
        String rewritten = WalkthroughDocs.forStack(block, WalkthroughDocs.ports(defaults, other));

        // then: addresses move, other text stays
        assertEquals("curl http://127.0.0.1:18080/v1/x http://127.0.0.1:18081/y http://127.0.0.1:18086/v1/tokens # port 5433",
                rewritten);
    }

    @Test
    void shouldRefuseWhenABlockUsesALocalAddressTheDevStackDoesNotBind() {
        // given
        Map<Integer, Integer> ports = Map.of(8080, 18080);

        // when / then
        assertThrows(IllegalStateException.class, () -> WalkthroughDocs.forStack("curl http://127.0.0.1:9999/", ports));
    }

    @Test
    void shouldFindEveryObjectWhenJsonIsPrettyOrRunTogetherAmongOtherLines() {
        // given: jq's pretty output, a curl answer without a newline, then psql's
        String output = """
                {
                  "status": "ISSUED",
                  "grant": {"id": "g-1"}
                }
                {"eventId":"e-1"}{"active":false}
                 count
                -------
                     0
                {not json
                """;

        // when
        List<JsonNode> objects = WalkthroughShell.jsonObjects(output);

        // then
        assertEquals(3, objects.size(), objects.toString());
        assertEquals("g-1", objects.get(0).path("grant").path("id").asText());
        assertEquals("e-1", objects.get(1).path("eventId").asText());
        assertEquals("{\"active\":false}", objects.get(2).toString());
    }
}
