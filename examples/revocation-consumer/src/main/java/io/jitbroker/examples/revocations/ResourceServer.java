package io.jitbroker.examples.revocations;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tiny protected resource (plain JDK HTTP server). {@code GET /resource} with
 * {@code Authorization: Bearer <credential>} answers 200 only for a credential that
 * {@link CredentialVerifier} accepts and whose grant is not in {@link RevokedGrants}; a revoked grant
 * gets 401 {@code invalid_token} with the revocation's reason, as soon as the listener has read it.
 * Until the listener has caught up with the revocations, every request gets 503 (fail closed), and
 * {@code GET /health} says which.
 */
public final class ResourceServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceServer.class);
    private static final String BEARER = "Bearer ";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final CredentialVerifier verifier;
    private final RevokedGrants revoked;
    private final BooleanSupplier ready;
    private final String resource;

    private ResourceServer(HttpServer server, CredentialVerifier verifier, RevokedGrants revoked, BooleanSupplier ready,
                           String resource) {
        this.server = server;
        this.verifier = verifier;
        this.revoked = revoked;
        this.ready = ready;
        this.resource = resource;
    }

    /**
     * @param ready whether the revoked-grant set is current ({@link RevocationListener#caughtUp})
     */
    public static ResourceServer start(String host, int port, CredentialVerifier verifier, RevokedGrants revoked,
                                       BooleanSupplier ready, String resource) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 0);
        ResourceServer server = new ResourceServer(http, verifier, revoked, ready, resource);
        http.createContext("/health", server::health);
        http.createContext("/resource", server::resource);
        http.setExecutor(server.executor);
        http.start();
        return server;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void health(HttpExchange exchange) throws IOException {
        boolean up = ready.getAsBoolean();
        respond(exchange, up ? 200 : 503, "{\"status\":\"" + (up ? "UP" : "CATCHING_UP") + "\"}", null);
    }

    private void resource(HttpExchange exchange) throws IOException {
        if (!ready.getAsBoolean()) {
            respond(exchange, 503, error("temporarily_unavailable", "not caught up with the revocations yet"), null);
            return;
        }
        String authorization = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse("");
        if (!authorization.startsWith(BEARER)) {
            respond(exchange, 401, error("invalid_request", "a bearer credential is required"), "Bearer");
            return;
        }
        CredentialVerifier.Credential credential;
        try {
            credential = verifier.verify(authorization.substring(BEARER.length()).trim());
        } catch (CredentialVerifier.Refused refused) {
            respond(exchange, 401, error("invalid_token", refused.getMessage()), invalidToken(refused.getMessage()));
            return;
        }
        Optional<RevokedGrants.Entry> revocation = revoked.find(credential.grantId());
        if (revocation.isPresent()) {
            String reason = "grant " + credential.grantId() + " was revoked (" + revocation.get().reason() + "): "
                    + revocation.get().detail();
            LOG.info("refused {} of {}: {}", resource, credential.workloadId(), reason);
            respond(exchange, 401, error("invalid_token", reason), invalidToken("grant revoked: " + revocation.get().reason()));
            return;
        }
        respond(exchange, 200, "{\"resource\":" + json(resource) + ",\"workload\":" + json(credential.workloadId())
                + ",\"grantId\":" + json(credential.grantId()) + ",\"scope\":" + json(credential.scope()) + "}", null);
    }

    private static String invalidToken(String description) {
        return "Bearer error=\"invalid_token\", error_description=\"" + description.replace("\"", "'") + "\"";
    }

    private static String error(String code, String reason) {
        return "{\"error\":" + json(code) + ",\"reason\":" + json(reason) + "}";
    }

    private static void respond(HttpExchange exchange, int status, String body, String wwwAuthenticate) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (wwwAuthenticate != null) {
            exchange.getResponseHeaders().set("WWW-Authenticate", wwwAuthenticate);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String json(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
