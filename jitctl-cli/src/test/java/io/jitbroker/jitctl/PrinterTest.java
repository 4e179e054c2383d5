package io.jitbroker.jitctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitbroker.client.JitJson;
import io.jitbroker.client.LedgerEntry;
import io.jitbroker.client.LedgerPage;
import io.jitbroker.client.Resource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrinterTest {

    private static final Instant REQUESTED = Instant.parse("2026-11-23T10:00:00Z");

    private final StringWriter out = new StringWriter();

    private static LedgerEntry revoked() {
        List<Resource> read = List.of(Resource.of("http", "inventory-api", "read"));
        return new LedgerEntry("r-1", "spiffe://dev.local/ci/deployer", "deploy-42", "staging", read, 600L, null,
                "deploy build 42", false, null, "REVOKED", "APPROVED", List.of("granted [read] by rule-1"), "2026-11-23.1",
                read, 600L, null, null, null, null, "g-1", REQUESTED.plusSeconds(600), "TASK_COMPLETED", null, "e-1",
                "jwt-denylist", REQUESTED, REQUESTED.plusSeconds(1), REQUESTED.plusSeconds(1), REQUESTED.plusSeconds(30),
                REQUESTED.plusSeconds(31));
    }

    @Test
    void shouldShowDecisionGrantAndRevocationAndLeaveUnknownFactsOutWhenPrintingAnEntryForPeople() {
        // when
        new Printer(new PrintWriter(out), false).entry(revoked());

        // then
        String text = out.toString();
        assertTrue(text.contains("status         REVOKED\n"), text);
        assertTrue(text.contains("decision       APPROVED (policy 2026-11-23.1)\n"), text);
        assertTrue(text.contains("granted        http:inventory-api:read for 600s\n"), text);
        assertTrue(text.contains("revoked        2026-11-23T10:00:30Z TASK_COMPLETED\n"), text);
        assertTrue(text.contains("enforced       2026-11-23T10:00:31Z by jwt-denylist\n"), text);
        assertFalse(text.contains("null") || text.contains("approval"), text);
    }

    @Test
    void shouldPrintTheEntryAsTheApiNamesItWhenJsonIsAsked() throws Exception {
        // when
        new Printer(new PrintWriter(out), true).entry(revoked());

        // then
        JsonNode json = JitJson.mapper().readTree(out.toString());
        assertEquals("TASK_COMPLETED", json.path("revocationReason").asText());
        assertEquals("2026-11-23T10:00:00Z", json.path("requestedAt").asText());
        assertEquals("inventory-api", json.path("grantedResources").get(0).path("id").asText());
    }

    @Test
    void shouldListOneRowAnEntryAndTheNextCursorWhenPrintingALedgerPage() {
        // when
        new Printer(new PrintWriter(out), false).page(new LedgerPage(List.of(revoked()), "c-2"));

        // then
        List<String> lines = out.toString().lines().toList();
        assertEquals(3, lines.size(), out.toString());
        assertTrue(lines.get(0).startsWith("REQUESTED"), lines.get(0));
        assertTrue(lines.get(1).matches("2026-11-23T10:00:00Z +REVOKED +TASK_COMPLETED +staging +deploy-42 .* r-1"), lines.get(1));
        assertEquals("more: --cursor c-2", lines.get(2));
    }
}
