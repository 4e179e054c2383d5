package io.jitbroker.policy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.schemas.RegistrySerdes;
import io.jitbroker.schemas.Topics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/policy/explain} on the running service with the shipped example policy. */
class PolicyExplainIT {

    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final Argument<Map<String, Object>> JSON_OBJECT = Argument.mapOf(String.class, Object.class);

    private static Infrastructure infra;
    private static EmbeddedServer server;
    private static HttpClient httpClient;
    private static BlockingHttpClient client;

    @BeforeAll
    static void startServiceOnRealInfrastructure() {
        RegistrySerdes.trustEventsPackage();
        infra = Infrastructure.start(Infrastructure.Options.forTests().withoutPostgres());
        infra.kafka().createTopics(Topics.newTopics(3, (short) 1));
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "kafka.bootstrap.servers", infra.kafka().bootstrapServers(),
                "jit.schema-registry.url", new RegistrySerdes(infra.registry().nativeApiUrl()).registryUrl(),
                "jit.policy.file", "classpath:policies/dev-example.yaml",
                "micronaut.server.port", -1));
        httpClient = HttpClient.create(server.getURL());
        client = httpClient.toBlocking();
    }

    @AfterAll
    static void stopEverything() {
        if (httpClient != null) {
            httpClient.close();
        }
        if (server != null) {
            server.getApplicationContext().close();
        }
        if (infra != null) {
            infra.close();
        }
    }

    @Test
    void shouldExplainApprovalWithEveryRuleWhenDeployerAsksForInventoryInStaging() {
        // given
        Map<String, Object> body = Map.of("workloadId", DEPLOYER, "environment", "staging", "ttlSeconds", 3600,
                "taskId", "deploy-42", "resources", List.of(Map.of("type", "http", "id", "inventory-api",
                        "actions", List.of("read", "write"))));

        // when
        HttpResponse<Map<String, Object>> response = client.exchange(post(body), JSON_OBJECT);

        // then
        assertEquals(HttpStatus.OK, response.getStatus());
        Map<String, Object> explanation = response.body();
        assertEquals("APPROVED", explanation.get("outcome"));
        assertEquals(List.of(Map.of("type", "http", "id", "inventory-api", "actions", List.of("read", "write"))),
                explanation.get("grantedResources"));
        assertEquals(600, explanation.get("grantedTtlSeconds"));
        assertEquals(List.of("ci-deployer-staging-inventory"), explanation.get("matchedRules"));
        assertEquals("2026-11-23.1", explanation.get("policyVersion"));
        assertEquals(List.of("granted [read, write] on http/inventory-api by ci-deployer-staging-inventory",
                "ttl narrowed from 3600 s to 600 s by rule ci-deployer-staging-inventory"), explanation.get("reasons"));
        assertEquals(List.of(
                Map.of("ruleId", "ci-deployer-staging-inventory", "effect", "allow", "matched", true,
                        "why", "allows [read, write] on http/inventory-api"),
                Map.of("ruleId", "ci-deployer-dev-inventory", "effect", "allow", "matched", false,
                        "why", "environment staging is not one of [dev]"),
                Map.of("ruleId", "dev-writes-need-ticket", "effect", "deny", "matched", false,
                        "why", "environment staging is not one of [dev]")),
                explanation.get("evaluations"));
    }

    @Test
    void shouldExplainWhichDenyRuleRemovedWriteWhenDevRequestHasNoTicket() {
        // given
        Map<String, Object> body = Map.of("workloadId", DEPLOYER, "environment", "dev", "ttlSeconds", 120,
                "justification", "smoke test", "resources", List.of(Map.of("type", "http", "id", "inventory-api",
                        "actions", List.of("read", "write"))));

        // when
        Map<String, Object> explanation = client.retrieve(post(body), JSON_OBJECT);

        // then
        assertEquals("APPROVED", explanation.get("outcome"));
        assertEquals(List.of(Map.of("type", "http", "id", "inventory-api", "actions", List.of("read"))),
                explanation.get("grantedResources"));
        assertEquals(List.of("ci-deployer-dev-inventory", "dev-writes-need-ticket"), explanation.get("matchedRules"));
        assertEquals(List.of("granted [read] on http/inventory-api by ci-deployer-dev-inventory",
                "denied [write] on http/inventory-api by deny rule dev-writes-need-ticket",
                "action write on http/inventory-api not allowed; granted read"), explanation.get("reasons"));
    }

    @Test
    void shouldAnswer400NamingTheFieldWhenTtlIsNotANumber() {
        // given
        Map<String, Object> body = Map.of("workloadId", DEPLOYER, "environment", "dev", "ttlSeconds", "ten",
                "resources", List.of(Map.of("type", "http", "id", "inventory-api", "actions", List.of("read"))));

        // when
        HttpClientResponseException error = assertThrows(HttpClientResponseException.class,
                () -> client.exchange(post(body), JSON_OBJECT, JSON_OBJECT));

        // then
        assertEquals(HttpStatus.BAD_REQUEST, error.getStatus());
        assertEquals(Map.of("error", "invalid_request", "message", "ttlSeconds: must be a whole number of seconds"),
                error.getResponse().getBody(JSON_OBJECT).orElseThrow());
    }

    @Test
    void shouldAnswer400NamingTheFieldWhenAResourceHasNoActions() {
        // given
        Map<String, Object> body = Map.of("workloadId", DEPLOYER, "environment", "dev", "ttlSeconds", 60,
                "resources", List.of(Map.of("type", "http", "id", "inventory-api")));

        // when
        HttpClientResponseException error = assertThrows(HttpClientResponseException.class,
                () -> client.exchange(post(body), JSON_OBJECT, JSON_OBJECT));

        // then
        assertEquals(HttpStatus.BAD_REQUEST, error.getStatus());
        assertEquals(Map.of("error", "invalid_request", "message", "resources[0].actions: must be a list of strings"),
                error.getResponse().getBody(JSON_OBJECT).orElseThrow());
    }

    @Test
    void shouldAnswer400WhenBodyIsNotJson() {
        // when
        HttpClientResponseException error = assertThrows(HttpClientResponseException.class,
                () -> client.exchange(post("{not json"), JSON_OBJECT, JSON_OBJECT));

        // then
        assertEquals(HttpStatus.BAD_REQUEST, error.getStatus());
        assertEquals("malformed_json", error.getResponse().getBody(JSON_OBJECT).orElseThrow().get("error"));
    }

    private static HttpRequest<Object> post(Object body) {
        return HttpRequest.POST("/v1/policy/explain", body).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
