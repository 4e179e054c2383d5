package io.jitbroker.request.monitoring;

import io.micronaut.context.annotation.Value;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DOWN when the schema registry does not answer {@code GET <SCHEMA_REGISTRY_URL>/system/info} with
 * 200 within the timeout: without it no event can be written or read. micronaut-kafka's indicator
 * only knows about the broker.
 */
@Singleton
public class SchemaRegistryHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryHealthIndicator.class);

    private final URI systemInfo;
    /** What logs and details show: the URL without any user info, which could hold a password. */
    private final String shownUrl;
    private final Duration timeout;
    private final HttpClient client;

    /** @param registryUrl Apicurio's native API, e.g. {@code http://127.0.0.1:8085/apis/registry/v2} */
    public SchemaRegistryHealthIndicator(@Value("${jit.health.schema-registry-url}") String registryUrl,
                                         @Value("${jit.health.schema-registry-timeout:2s}") Duration timeout) {
        this.systemInfo = URI.create(registryUrl.replaceAll("/+$", "") + "/system/info");
        this.shownUrl = systemInfo.getScheme() + "://" + systemInfo.getHost()
                + (systemInfo.getPort() < 0 ? "" : ":" + systemInfo.getPort()) + systemInfo.getPath();
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    protected String getName() {
        return "schemaRegistry";
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        HttpRequest request = HttpRequest.newBuilder(systemInfo).timeout(timeout).GET().build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            healthStatus = response.statusCode() == 200 ? HealthStatus.UP : HealthStatus.DOWN;
            return Map.of("url", shownUrl, "status", response.statusCode());
        } catch (IOException e) {
            return down(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down("interrupted");
        }
    }

    private Map<String, Object> down(String error) {
        LOG.warn("schema registry at {} did not answer: {}", shownUrl, error);
        healthStatus = HealthStatus.DOWN;
        return Map.of("url", shownUrl, "error", error);
    }
}
