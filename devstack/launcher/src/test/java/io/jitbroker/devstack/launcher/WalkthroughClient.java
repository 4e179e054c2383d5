package io.jitbroker.devstack.launcher;

import static org.awaitility.Awaitility.await;

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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What a workload does with curl in the README walkthrough, as a small HTTP client for tests. */
final class WalkthroughClient {

    record Response(int status, JsonNode body, String raw) {
    }

    /** How long a whole-stack test waits for one step of a flow (a decision, an issuance, a revocation). */
    static final Duration FLOW_TIMEOUT = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final DevStack stack;
    private final List<String> mintedTokens = new CopyOnWriteArrayList<>();

    WalkthroughClient(DevStack stack) {
        this.stack = stack;
    }

    String requestServiceUrl() {
        return "http://" + DevStackOptions.HOST + ":" + stack.options().requestPort();
    }

    String issuerServiceUrl() {
        return "http://" + DevStackOptions.HOST + ":" + stack.options().issuerPort();
    }

    String policyServiceUrl() {
        return "http://" + DevStackOptions.HOST + ":" + stack.options().policyPort();
    }

    /** Asks the dev identity provider over HTTP, as the README does. */
    String tokenFor(String workload) {
        Response minted = send(HttpRequest.newBuilder(URI.create(stack.infrastructure().identityProvider().tokensUrl()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"workload\":\"" + workload + "\"}")));
        if (minted.status() != 200) {
            throw new IllegalStateException("token mint failed: " + minted.raw());
        }
        String token = minted.body().get("token").asText();
        mintedTokens.add(token);
        return token;
    }

    /** Every workload token this client minted, for the check that none ever reached Kafka. */
    List<String> mintedTokens() {
        return List.copyOf(mintedTokens);
    }

    Response postJson(String url, String token, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    /** Publishes a policy bundle through the admin API, as the README does with curl --data-binary. */
    Response postYaml(String url, String token, String yaml) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/yaml")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(yaml)));
    }

    Response get(String url, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    /** Polls the ledger entry, as the README's await_status does, until it has the status; then returns it. */
    Response awaitStatus(String requestId, String token, String status) {
        String url = requestServiceUrl() + "/v1/access-requests/" + requestId;
        await().atMost(FLOW_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> status.equals(get(url, token).body().path("status").asText()));
        return get(url, token);
    }

    Response introspect(String callerToken, String credential) {
        return send(HttpRequest.newBuilder(URI.create(issuerServiceUrl() + "/v1/introspect"))
                .header("Authorization", "Bearer " + callerToken)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(credential, StandardCharsets.UTF_8))));
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
            return new Response(response.statusCode(), body, response.body());
        } catch (IOException e) {
            throw new IllegalStateException("HTTP call failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
