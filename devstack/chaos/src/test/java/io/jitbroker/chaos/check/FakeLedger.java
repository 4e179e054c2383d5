package io.jitbroker.chaos.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real HTTP server answering request-service's two ledger routes as an SRE sees them: GET
 * /v1/access-requests/{id} and the paged GET /v1/ledger (its {@code from}/{@code to} filters are
 * recorded, not applied). Everyone but the bearer of {@link #SRE_TOKEN} gets 403. Registered as a
 * JUnit extension on a test's field, it is stopped after each test.
 */
final class FakeLedger implements AutoCloseable, AfterEachCallback {

    static final String SRE_TOKEN = "sre-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, LedgerEntry> entries = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, LedgerEntry> unlisted = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Change> changes = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Integer> readsById = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private volatile int pageSize = 500;

    private record Change(int afterReads, LedgerEntry entry) {
    }

    FakeLedger() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/access-requests/", this::oneEntry);
        server.createContext("/v1/ledger", this::page);
        server.start();
    }

    /** A URL where nothing listens (connection refused). */
    static URI deadUrl() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void put(LedgerEntry entry) {
        entries.put(entry.requestId(), entry);
    }

    /** An entry found by id but not in the listing (as one requested outside the listing's window). */
    void putUnlisted(LedgerEntry entry) {
        unlisted.put(entry.requestId(), entry);
    }

    /** Answers {@code later} for its request from the {@code reads + 1}th read of it by id on. */
    void changeAfterReads(int reads, LedgerEntry later) {
        changes.put(later.requestId(), new Change(reads, later));
    }

    /** The listing's pages hold this many entries (whatever {@code limit} asks). */
    void pageSize(int size) {
        pageSize = size;
    }

    /** Every call answered, as {@code path?query}. */
    List<String> calls() {
        return List.copyOf(calls);
    }

    private void oneEntry(HttpExchange exchange) throws IOException {
        if (refused(exchange)) {
            return;
        }
        String id = exchange.getRequestURI().getPath().substring("/v1/access-requests/".length());
        int reads = readsById.merge(id, 1, Integer::sum);
        Change change = changes.get(id);
        if (change != null && reads > change.afterReads()) {
            entries.put(id, change.entry());
        }
        LedgerEntry entry = entries.containsKey(id) ? entries.get(id) : unlisted.get(id);
        if (entry == null) {
            answer(exchange, 404, "{\"error\":\"not_found\",\"message\":\"no access request " + id + "\"}");
        } else {
            answer(exchange, 200, JSON.writeValueAsString(json(entry)));
        }
    }

    private void page(HttpExchange exchange) throws IOException {
        if (refused(exchange)) {
            return;
        }
        Map<String, String> query = query(exchange.getRequestURI());
        List<LedgerEntry> all = new ArrayList<>(entries.values());
        int start = query.containsKey("cursor") ? Integer.parseInt(query.get("cursor")) : 0;
        int end = Math.min(all.size(), start + pageSize);
        ObjectNode page = JSON.createObjectNode();
        ArrayNode list = page.putArray("entries");
        all.subList(start, end).forEach(entry -> list.add(json(entry)));
        page.put("nextCursor", end < all.size() ? String.valueOf(end) : null);
        answer(exchange, 200, JSON.writeValueAsString(page));
    }

    private boolean refused(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        calls.add(uri.getRawQuery() == null ? uri.getPath() : uri.getPath() + "?" + uri.getRawQuery());
        if (!("Bearer " + SRE_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer(exchange, 403, "{\"error\":\"forbidden\",\"message\":\"only SREs may read the ledger\"}");
            return true;
        }
        return false;
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] parts = pair.split("=", 2);
                query.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static ObjectNode json(LedgerEntry entry) {
        ObjectNode node = JSON.createObjectNode();
        node.put("requestId", entry.requestId());
        node.put("workloadId", entry.workloadId());
        node.put("taskId", entry.taskId());
        node.put("status", entry.status());
        node.put("decision", "DENIED".equals(entry.status()) ? "DENIED" : "APPROVED");
        node.put("grantId", entry.grantId());
        node.put("expiresAt", entry.expiresAtMillis() == 0 ? null : Instant.ofEpochMilli(entry.expiresAtMillis()).toString());
        node.put("revocationReason", entry.revocationReason());
        node.put("revokedAt", entry.revokedAtMillis() == 0 ? null : Instant.ofEpochMilli(entry.revokedAtMillis()).toString());
        node.putNull("enforcedAt");
        return node;
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
