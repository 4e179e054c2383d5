package io.jitbroker.policy.support;

import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.policy.app.CurrentPolicy;
import io.jitbroker.policy.kafka.PolicyBundleReader;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;

/**
 * One policy-service instance, started as in production (its application.yml, configured by
 * environment variables) against the test infrastructure on a free port, with HTTP helpers that
 * hand back status and body, errors included.
 */
public final class RunningPolicyService implements AutoCloseable {

    public static final Duration CATCH_UP = Duration.ofSeconds(60);

    private final ApplicationContext context;
    private final HttpClient httpClient;
    private final JsonMapper json;

    private RunningPolicyService(ApplicationContext context, HttpClient httpClient) {
        this.context = context;
        this.httpClient = httpClient;
        this.json = context.getBean(JsonMapper.class);
    }

    /**
     * @param environment environment variables on top of the infrastructure's (JIT_POLICY_ADMINS, JIT_POLICY_FILE, ...)
     * @return the instance, caught up with jit.policies.v1
     */
    public static RunningPolicyService start(Infrastructure infra, Map<String, String> environment) {
        RegistrySerdes.trustEventsPackage();
        Map<String, Object> variables = new LinkedHashMap<>(infra.serviceEnvironment());
        variables.put("HTTP_HOST", "127.0.0.1");
        variables.put("HTTP_PORT", "-1");
        // Each instance its own transactional id, as in production.
        variables.put("HOSTNAME", "test-" + UUID.randomUUID());
        // Each instance its own Kafka Streams state, as on separate machines.
        variables.put("KAFKA_STREAMS_STATE_DIR", temporaryDirectory().toString());
        variables.putAll(environment);
        ApplicationContext context = ApplicationContext.builder()
                .deduceEnvironment(false)
                // The dev profile, as the dev infrastructure's services run (its plaintext Kafka is refused outside it).
                .environments(Environment.DEVELOPMENT)
                .propertySources(PropertySource.of("test-environment-variables", variables,
                        PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE))
                .start();
        try {
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            RunningPolicyService service = new RunningPolicyService(context, HttpClient.create(server.getURL()));
            if (!service.reader().awaitCaughtUp(CATCH_UP)) {
                throw new IllegalStateException("policy-service did not catch up with the policy topic in " + CATCH_UP);
            }
            // Ready: the decisions' Streams app is running too (/health answers 200).
            Awaitility.await().atMost(CATCH_UP).until(() -> service.get("/health", null).status() == 200);
            return service;
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    public ApplicationContext context() {
        return context;
    }

    public CurrentPolicy currentPolicy() {
        return context.getBean(CurrentPolicy.class);
    }

    public PolicyBundleReader reader() {
        return context.getBean(PolicyBundleReader.class);
    }

    /** @param token the bearer token, or null to send none */
    public Reply post(String path, String token, MediaType contentType, String body) {
        MutableHttpRequest<String> request = io.micronaut.http.HttpRequest.POST(path, body)
                .contentType(contentType)
                .accept(MediaType.APPLICATION_JSON_TYPE);
        return exchange(token == null ? request : request.bearerAuth(token));
    }

    public Reply get(String path, String token) {
        MutableHttpRequest<Object> request = io.micronaut.http.HttpRequest.GET(path);
        return exchange(token == null ? request : request.bearerAuth(token));
    }

    public String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Reply exchange(MutableHttpRequest<?> request) {
        HttpResponse<?> response;
        try {
            response = httpClient.toBlocking().exchange(request, String.class);
        } catch (HttpClientResponseException e) {
            response = e.getResponse();
        }
        return new Reply(response.getStatus().getCode(), response.getBody(String.class).orElse(null),
                response.getHeaders().get("WWW-Authenticate"), json);
    }

    /** @param wwwAuthenticate the challenge header, for 401s */
    public record Reply(int status, String body, String wwwAuthenticate, JsonMapper mapper) {

        public Map<String, Object> json() {
            try {
                return mapper.readValue(body, Argument.mapOf(String.class, Object.class));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    @Override
    public void close() {
        httpClient.close();
        context.close();
    }

    private static Path temporaryDirectory() {
        try {
            Path dir = Files.createTempDirectory("policy-streams-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
