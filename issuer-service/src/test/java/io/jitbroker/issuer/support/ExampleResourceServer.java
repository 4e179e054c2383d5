package io.jitbroker.issuer.support;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A resource server as a team would write one against the issuer: {@code GET /orders} answers 200 only
 * for a credential the issuer's introspection reports active and whose scope holds the required entry.
 * It accepts {@code Authorization: Bearer <credential>} and {@code Authorization: DPoP <credential>}
 * with a {@code DPoP} proof header, which it forwards to introspection with the method and URL it
 * received (RFC 9449, sections 7 and 6.2), and refuses a DPoP-bound credential presented as Bearer.
 * It authenticates to the issuer with its own workload token.
 */
public final class ExampleResourceServer implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final HttpServer server;
    private final URI introspection;
    private final Supplier<String> ownToken;
    private final String requiredScope;

    private ExampleResourceServer(HttpServer server, URI introspection, Supplier<String> ownToken, String requiredScope) {
        this.server = server;
        this.introspection = introspection;
        this.ownToken = ownToken;
        this.requiredScope = requiredScope;
    }

    public static ExampleResourceServer start(URI introspection, Supplier<String> ownToken, String requiredScope) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExampleResourceServer resource = new ExampleResourceServer(server, introspection, ownToken, requiredScope);
        server.createContext("/orders", resource::handle);
        server.start();
        return resource;
    }

    public URI ordersUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/orders");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            List<String> proofs = exchange.getRequestHeaders().getOrDefault("DPoP", List.of());
            if (authorization == null || !authorization.contains(" ") || proofs.size() > 1) {
                respond(exchange, 401, "{\"error\":\"invalid_request\"}");
                return;
            }
            String scheme = authorization.substring(0, authorization.indexOf(' ')).toLowerCase(Locale.ROOT);
            String credential = authorization.substring(authorization.indexOf(' ') + 1).trim();
            Map<String, Object> answer = introspect(credential, proofs.isEmpty() ? null : proofs.get(0),
                    exchange.getRequestMethod());
            if (!Boolean.TRUE.equals(answer.get("active"))) {
                respond(exchange, 401, "{\"error\":\"invalid_token\"}");
                return;
            }
            boolean bound = "DPoP".equals(answer.get("token_type"));
            if (bound ? !scheme.equals("dpop") : !scheme.equals("bearer")) {
                // A bound credential must come with the DPoP scheme, and a bearer one without.
                respond(exchange, 401, "{\"error\":\"invalid_token\"}");
                return;
            }
            String scope = (String) answer.get("scope");
            if (scope == null || !Arrays.asList(scope.split(" ")).contains(requiredScope)) {
                respond(exchange, 403, "{\"error\":\"insufficient_scope\"}");
                return;
            }
            respond(exchange, 200, "{\"orders\":[],\"workload\":\"" + answer.get("sub") + "\"}");
        }
    }

    private Map<String, Object> introspect(String credential, String proof, String method) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", credential);
        if (proof != null) {
            form.put("dpop_proof", proof);
            form.put("htm", method);
            form.put("htu", ordersUrl().toString());
        }
        String body = form.entrySet().stream()
                .map(field -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(introspection)
                    .header("Authorization", "Bearer " + ownToken.get())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Map.of("active", false);
            }
            return JSONObjectUtils.parse(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (ParseException e) {
            return Map.of("active", false);
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (status == 401) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "DPoP algs=\"ES256\", Bearer");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
