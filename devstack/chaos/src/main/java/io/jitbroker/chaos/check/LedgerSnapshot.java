package io.jitbroker.chaos.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the run's requests from request-service's ledger as an SRE, over HTTP/1.1: one
 * {@code GET /v1/access-requests/{id}} each for a few, the paged {@code GET /v1/ledger} over the
 * run's window (500 a page) for many, then one by one those the listing missed. Any instance will
 * do: the first that answers is asked again next time.
 */
public final class LedgerSnapshot {

    /** Thrown when no request-service instance answered. */
    public static final class LedgerUnreachableException extends RuntimeException {
        LedgerUnreachableException(String message) {
            super(message);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(LedgerSnapshot.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Up to this many requests, one GET each is cheaper than listing the window. */
    static final int ONE_BY_ONE_UP_TO = 50;
    private static final int PAGE_SIZE = 500;
    /** requestedAt is the server's clock before the 202; the margin covers any skew and delay. */
    private static final Duration WINDOW_MARGIN = Duration.ofMinutes(5);

    private final List<URI> baseUrls;
    private final Supplier<String> sreToken;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private volatile int preferred;

    /**
     * @param baseUrls request-service instances, e.g. {@code http://10.0.0.2:8080}
     * @param sreToken a bearer token of a workload listed in {@code JIT_SRE_WORKLOADS}, asked for on every call
     */
    public LedgerSnapshot(List<URI> baseUrls, Supplier<String> sreToken) {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("no request-service URL");
        }
        this.baseUrls = List.copyOf(baseUrls);
        this.sreToken = Objects.requireNonNull(sreToken, "sreToken");
    }

    /**
     * The ledger entries of the flows' accepted requests, by request id; a request the ledger does not
     * know is absent.
     *
     * @throws LedgerUnreachableException when no instance answered one of the calls
     */
    public Map<String, LedgerEntry> read(List<FlowObservation> flows) {
        List<FlowObservation> accepted = flows.stream().filter(flow -> flow.requestId() != null).toList();
        Set<String> wanted = new LinkedHashSet<>(accepted.stream().map(FlowObservation::requestId).toList());
        Map<String, LedgerEntry> entries = new HashMap<>();
        if (wanted.size() > ONE_BY_ONE_UP_TO) {
            long from = accepted.stream().mapToLong(FlowObservation::acceptedAtMillis).min().orElseThrow();
            long to = accepted.stream().mapToLong(FlowObservation::acceptedAtMillis).max().orElseThrow();
            list(Instant.ofEpochMilli(from).minus(WINDOW_MARGIN), Instant.ofEpochMilli(to).plus(WINDOW_MARGIN), wanted,
                    entries);
        }
        for (String requestId : wanted) {
            if (!entries.containsKey(requestId)) {
                JsonNode entry = get("/v1/access-requests/" + URLEncoder.encode(requestId, StandardCharsets.UTF_8));
                if (entry != null) {
                    entries.put(requestId, entry(entry));
                }
            }
        }
        return entries;
    }

    private void list(Instant from, Instant to, Set<String> wanted, Map<String, LedgerEntry> entries) {
        String cursor = null;
        int pages = 0;
        do {
            String path = "/v1/ledger?limit=" + PAGE_SIZE + "&from=" + encode(from.toString()) + "&to=" + encode(to.toString())
                    + (cursor == null ? "" : "&cursor=" + encode(cursor));
            JsonNode page = get(path);
            if (page == null) {
                throw new IllegalStateException("GET " + path + " answered 404");
            }
            for (JsonNode node : page.path("entries")) {
                if (wanted.contains(node.path("requestId").asText())) {
                    LedgerEntry entry = entry(node);
                    entries.put(entry.requestId(), entry);
                }
            }
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
            pages++;
        } while (cursor != null);
        LOG.info("read {} of {} ledger entries from {} pages of the ledger from {} to {}", entries.size(), wanted.size(),
                pages, from, to);
    }

    /** The JSON a GET answered with 200, or null for a 404; another instance is tried on anything but 2xx, 4xx. */
    private JsonNode get(String path) {
        StringBuilder failures = new StringBuilder();
        for (int attempt = 0; attempt < baseUrls.size(); attempt++) {
            int index = (preferred + attempt) % baseUrls.size();
            URI base = baseUrls.get(index);
            HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/+$", "") + path))
                    .header("Authorization", "Bearer " + sreToken.get())
                    .header("Accept", "application/json")
                    .timeout(REQUEST_TIMEOUT)
                    .GET().build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200) {
                    preferred = index;
                    return JSON.readTree(response.body());
                }
                if (status == 404) {
                    preferred = index;
                    return null;
                }
                if (status == 401 || status == 403) {
                    throw new IllegalStateException("GET " + request.uri() + " answered " + status
                            + ": is the checker's token an SRE's (JIT_SRE_WORKLOADS)? " + response.body());
                }
                failures.append(base).append(" answered ").append(status).append("; ");
            } catch (IOException e) {
                failures.append(base).append(" failed: ").append(e).append("; ");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LedgerUnreachableException("interrupted while reading the ledger");
            }
        }
        LOG.warn("no request-service instance answered GET {}: {}", path, failures);
        throw new LedgerUnreachableException("no request-service instance answered GET " + path + ": " + failures);
    }

    private static LedgerEntry entry(JsonNode node) {
        return new LedgerEntry(text(node, "requestId"), text(node, "workloadId"), text(node, "taskId"),
                text(node, "status"), text(node, "grantId"), millis(node, "expiresAt"), text(node, "revocationReason"),
                millis(node, "revokedAt"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }

    private static long millis(JsonNode node, String field) {
        String value = text(node, field);
        return value == null ? 0 : Instant.parse(value).toEpochMilli();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
