package io.jitbroker.kafka;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Asks the schema registry whether it answers ({@code GET <native API>/system/info}, 200 within the
 * timeout): without it no event can be written or read, so every service's readiness depends on it.
 * The URL it shows drops any user info, which could hold a password.
 */
public final class RegistryProbe {

    /** What one probe found: up or not, with details for /health and logs. */
    public record Result(boolean up, Map<String, Object> details) {
    }

    private final URI systemInfo;
    private final String shownUrl;
    private final Duration timeout;
    private final HttpClient client;

    /** @param registryUrl Apicurio's native API, e.g. {@code http://127.0.0.1:8085/apis/registry/v2} */
    public RegistryProbe(String registryUrl, Duration timeout) {
        this.systemInfo = URI.create(registryUrl.replaceAll("/+$", "") + "/system/info");
        this.shownUrl = systemInfo.getScheme() + "://" + systemInfo.getHost()
                + (systemInfo.getPort() < 0 ? "" : ":" + systemInfo.getPort()) + systemInfo.getPath();
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public Result check() {
        HttpRequest request = HttpRequest.newBuilder(systemInfo).timeout(timeout).GET().build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            return new Result(response.statusCode() == 200, Map.of("url", shownUrl, "status", response.statusCode()));
        } catch (IOException e) {
            return new Result(false, Map.of("url", shownUrl, "error", e.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, Map.of("url", shownUrl, "error", "interrupted"));
        }
    }

    public String shownUrl() {
        return shownUrl;
    }
}
