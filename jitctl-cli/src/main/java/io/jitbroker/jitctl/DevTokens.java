package io.jitbroker.jitctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jitbroker.client.JitException;
import io.jitbroker.client.JitJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Workload tokens minted by the dev stack's identity provider ({@code POST /v1/tokens}), as the README
 * walkthrough does with curl: for the dev stack only. A token is used until a minute before it expires.
 */
final class DevTokens implements Supplier<String> {

    private static final Duration MARGIN = Duration.ofMinutes(1);
    private static final ObjectMapper JSON = JitJson.mapper();

    private final URI tokensUrl;
    private final String workload;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String token;
    private long renewAt;

    DevTokens(String identityProviderUrl, String workload) {
        this.tokensUrl = URI.create(identityProviderUrl.replaceAll("/+$", "") + "/v1/tokens");
        this.workload = workload;
    }

    @Override
    public synchronized String get() {
        if (token == null || System.nanoTime() - renewAt >= 0) {
            long mintedAt = System.nanoTime();
            JsonNode minted = mint();
            token = minted.path("token").asText();
            Duration lifetime = Duration.ofSeconds(minted.path("expiresIn").asLong(300));
            renewAt = mintedAt + Math.max(0, lifetime.minus(MARGIN).toNanos());
        }
        return token;
    }

    private JsonNode mint() {
        try {
            HttpRequest request = HttpRequest.newBuilder(tokensUrl).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("workload", workload))))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() != 200 || !body.path("token").isTextual()) {
                throw new JitException("the dev identity provider at " + tokensUrl + " minted no token for " + workload
                        + ": " + response.statusCode() + " " + body.path("error").asText(response.body()));
            }
            return body;
        } catch (IOException e) {
            throw new JitException("the dev identity provider at " + tokensUrl + " cannot be reached (is ./jit-broker dev"
                    + " running?): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JitException("interrupted while minting a dev token", e);
        }
    }
}
