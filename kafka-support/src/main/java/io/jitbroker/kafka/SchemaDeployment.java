package io.jitbroker.kafka;

import io.jitbroker.contracts.Topic;
import io.jitbroker.contracts.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deploy step that owns the event schemas: it sets the registry's compatibility rule (globally
 * and on every subject), then registers each topic's value schema from the generated classes of
 * {@code contracts}. Services never register (their serializers only look schemas up), so a schema
 * reaches the registry only through this step, and one the rule refuses stops the deploy with the
 * registry's reason. Safe to run again: rules are set to the same value, registered schemas are found.
 *
 * <p>Run it as {@code java -cp <a service's classpath> io.jitbroker.kafka.SchemaDeployment [registry-url]}
 * (default: {@code SCHEMA_REGISTRY_URL}); it exits 0 when every schema is in place, 1 otherwise.
 */
public final class SchemaDeployment {

    /**
     * New schemas must read what the previous one wrote: consumers are upgraded before producers,
     * and a replayed topic (a restored revoker) is read with the newest schema.
     */
    public static final String COMPATIBILITY = "BACKWARD";
    /** Apicurio's group for artifacts registered without one (the serdes' default). */
    static final String GROUP = "default";
    private static final Logger LOG = LoggerFactory.getLogger(SchemaDeployment.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final String RULE = "{\"type\":\"COMPATIBILITY\",\"config\":\"" + COMPATIBILITY + "\"}";

    private SchemaDeployment() {
    }

    public static void main(String[] args) {
        String registryUrl = args.length > 0 ? args[0] : System.getenv("SCHEMA_REGISTRY_URL");
        if (registryUrl == null || registryUrl.isBlank()) {
            System.err.println("usage: SchemaDeployment <registry native API URL>, or set SCHEMA_REGISTRY_URL");
            System.exit(2);
        }
        try {
            Map<String, Long> contentIds = deploy(registryUrl, Topics.ALL, TIMEOUT);
            System.out.println("schemas deployed (" + COMPATIBILITY + " compatibility): " + contentIds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(1);
        } catch (RuntimeException e) {
            System.err.println("schema deployment failed: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * @return each topic's registered content id, by topic name
     * @throws IllegalStateException when a rule cannot be set or a schema is refused or cannot be registered in time
     */
    public static Map<String, Long> deploy(String registryUrl, Collection<? extends Topic<?>> topics, Duration timeout)
            throws InterruptedException {
        Rules rules = new Rules(registryUrl);
        // Global first: it also covers the artifacts registered below, from their first version.
        rules.require("/admin/rules", "/admin/rules/COMPATIBILITY");
        Map<String, Long> contentIds = SchemaRegistration.registerAll(registryUrl, topics, timeout);
        for (Topic<?> topic : topics) {
            String artifact = "/groups/" + GROUP + "/artifacts/"
                    + URLEncoder.encode(SchemaRegistration.subject(topic), StandardCharsets.UTF_8);
            rules.require(artifact + "/rules", artifact + "/rules/COMPATIBILITY");
        }
        LOG.info("{} compatibility on every subject; {} value schemas registered", COMPATIBILITY, contentIds.size());
        return contentIds;
    }

    /** The registry's rules API: create a rule, or update it where one exists (409). */
    private record Rules(String registryUrl, HttpClient http) {

        Rules(String registryUrl) {
            this(registryUrl.replaceAll("/+$", ""), HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
        }

        void require(String collection, String rule) throws InterruptedException {
            HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(registryUrl + collection))
                    .POST(HttpRequest.BodyPublishers.ofString(RULE)));
            if (created.statusCode() == 409) {
                HttpResponse<String> updated = send(HttpRequest.newBuilder(URI.create(registryUrl + rule))
                        .PUT(HttpRequest.BodyPublishers.ofString(RULE)));
                check(updated, rule);
            } else {
                check(created, collection);
            }
        }

        private HttpResponse<String> send(HttpRequest.Builder request) throws InterruptedException {
            try {
                return http.send(request.header("Content-Type", "application/json").timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new IllegalStateException("the schema registry at " + registryUrl + " did not answer: " + e, e);
            }
        }

        private void check(HttpResponse<String> response, String path) {
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("setting " + COMPATIBILITY + " compatibility at " + path + " failed: "
                        + response.statusCode() + " " + response.body());
            }
        }
    }
}
