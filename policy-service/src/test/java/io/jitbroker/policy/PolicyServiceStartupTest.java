package io.jitbroker.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.policy.domain.InvalidPolicyException;
import io.jitbroker.policy.kafka.PolicyBundleReader;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fail closed: the service does not start on a policy it cannot trust. */
class PolicyServiceStartupTest {

    @Test
    void shouldRefuseToStartWhenPolicyFileIsInvalid(@TempDir Path dir) throws IOException {
        // given: a typo that a lenient loader would ignore, silently dropping the rule's environments
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, """
                version: "typo"
                maxTtlSeconds: 3600
                environments: [staging]
                rules:
                  - id: r1
                    workload: "spiffe://dev.local/ci/deployer"
                    environment: [staging]
                    resources:
                      - {type: http, ids: [inventory-api], actions: [read]}
                """);

        // when
        RuntimeException error = assertThrows(RuntimeException.class, () -> ApplicationContext.run(Map.of(
                "jit.policy.file", file.toString(),
                // Nothing listens there; the context must fail on the policy before it needs Kafka.
                "kafka.bootstrap.servers", "127.0.0.1:9",
                "jit.schema-registry.url", "http://127.0.0.1:9/apis/registry/v2")).close());

        // then
        InvalidPolicyException cause = rootInvalidPolicy(error);
        assertNotNull(cause, "caused by the policy: " + error);
        assertTrue(cause.getMessage().contains("policy " + file + " is invalid: line 7: rules[0]: unknown key 'environment'"),
                cause.getMessage());
        assertTrue(error.getMessage().contains("line 7: policy " + file + " is invalid"), error.getMessage());
    }

    @Test
    void shouldRefuseToStartWhenConditionDoesNotTypeCheck(@TempDir Path dir) throws IOException {
        // given: a condition comparing a string with a number
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, """
                version: "cel-typo"
                maxTtlSeconds: 3600
                environments: [staging]
                rules:
                  - id: short-grants
                    workload: "spiffe://dev.local/ci/deployer"
                    environments: [staging]
                    resources:
                      - {type: http, ids: [inventory-api], actions: [read]}
                    condition: "workload.path > 600"
                """);

        // when
        RuntimeException error = assertThrows(RuntimeException.class, () -> ApplicationContext.run(Map.of(
                "jit.policy.file", file.toString(),
                "kafka.bootstrap.servers", "127.0.0.1:9",
                "jit.schema-registry.url", "http://127.0.0.1:9/apis/registry/v2")).close());

        // then
        InvalidPolicyException cause = rootInvalidPolicy(error);
        assertNotNull(cause, "caused by the policy: " + error);
        assertTrue(cause.getMessage().startsWith("policy " + file + " is invalid: line 10: rules[0].condition: "
                + "found no matching overload for '_>_' applied to '(string, int)'"), cause.getMessage());
        assertTrue(error.getMessage().contains("line 10: policy " + file + " is invalid"), error.getMessage());
    }

    @Test
    void shouldBeNotReadyWhenThePolicyTopicCannotBeRead() {
        // given: nothing listens where Kafka should be (the access-request listener is left out: it would
        // hold startup until the policy is known)
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "kafka.enabled", false,
                "kafka.bootstrap.servers", "127.0.0.1:9",
                "jit.schema-registry.url", "http://127.0.0.1:9/apis/registry/v2",
                "micronaut.server.port", -1));
             HttpClient client = HttpClient.create(server.getURL())) {

            // when
            HttpClientResponseException health = assertThrows(HttpClientResponseException.class,
                    () -> client.toBlocking().exchange("/health/readiness", String.class));

            // then: DOWN (503), and the bundle reader has not caught up
            assertEquals(HttpStatus.SERVICE_UNAVAILABLE, health.getStatus());
            assertFalse(server.getApplicationContext().getBean(PolicyBundleReader.class).caughtUp());
        }
    }

    private static InvalidPolicyException rootInvalidPolicy(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof InvalidPolicyException invalid) {
                return invalid;
            }
        }
        return null;
    }
}
