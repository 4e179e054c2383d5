package io.jitbroker.devstack.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.devstack.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole system as {@code ./jit-broker dev} runs it (infrastructure plus four service JVMs), driven
 * over HTTP the way the README walkthrough does.
 */
class DevStackIT {

    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(30);

    private static DevStack stack;
    private static WalkthroughClient client;

    @BeforeAll
    static void startStack() throws Exception {
        Path workDir = Files.createTempDirectory("jit-devstack-it-");
        DevStackOptions options = new DevStackOptions(DevStackOptions.locateRepositoryRoot(), workDir,
                FreePorts.find(), FreePorts.find(), FreePorts.find(), FreePorts.find(),
                FreePorts.find(), FreePorts.find(), FreePorts.find(), FreePorts.find());
        stack = DevStack.start(options);
        client = new WalkthroughClient(stack);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    private static String accessRequest(String taskId, String environment, int ttlSeconds) {
        return """
                {"taskId":"%s","environment":"%s",
                 "resources":[{"type":"http","id":"inventory-api","actions":["read","write"]}],
                 "ttlSeconds":%d,"justification":"deploy build 42"}""".formatted(taskId, environment, ttlSeconds);
    }

    private static WalkthroughClient.Response awaitStatus(String requestId, String token, String status) {
        String url = client.requestServiceUrl() + "/v1/access-requests/" + requestId;
        await().atMost(FLOW_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> status.equals(client.get(url, token).body().path("status").asText()));
        return client.get(url, token);
    }

    @Test
    void shouldIssueAndRevokeWhenTaskCompletes() {
        // given a deployer's approved request
        String token = client.tokenFor(DEPLOYER);
        String taskId = "task-" + UUID.randomUUID();
        var accepted = client.postJson(client.requestServiceUrl() + "/v1/access-requests", token,
                accessRequest(taskId, "staging", 300));
        assertEquals(202, accepted.status(), accepted.raw());
        String requestId = accepted.body().get("requestId").asText();

        // when the grant is issued and the credential picked up
        var issued = awaitStatus(requestId, token, "ISSUED");
        String grantId = issued.body().get("grantId").asText();
        var credential = client.get(client.issuerServiceUrl() + "/v1/grants/" + grantId + "/credential", token);
        assertEquals(200, credential.status(), credential.raw());
        String jwt = credential.body().get("credential").asText();
        assertTrue(client.introspect(token, jwt).body().get("active").asBoolean());
        var secondPickup = client.get(client.issuerServiceUrl() + "/v1/grants/" + grantId + "/credential", token);
        assertEquals(410, secondPickup.status(), secondPickup.raw());

        // and the task completes
        var completed = client.postJson(client.requestServiceUrl() + "/v1/tasks/" + taskId + "/events", token,
                "{\"type\":\"COMPLETED\"}");
        assertEquals(202, completed.status(), completed.raw());

        // then the grant is revoked for that reason and the credential is dead
        var revoked = awaitStatus(requestId, token, "REVOKED");
        assertEquals("TASK_COMPLETED", revoked.body().path("revocationReason").asText(), revoked.raw());
        await().atMost(FLOW_TIMEOUT).until(() -> !client.introspect(token, jwt).body().get("active").asBoolean());

        // and no credential material was ever on Kafka: neither the credential nor the workload's token
        String credentialSignature = jwt.substring(jwt.lastIndexOf('.') + 1);
        String tokenSignature = token.substring(token.lastIndexOf('.') + 1);
        List<String> records = TopicScanner.allRecords(stack.infrastructure().kafka().bootstrapServers());
        assertFalse(records.isEmpty());
        assertTrue(records.stream().noneMatch(r -> r.contains(credentialSignature) || r.contains(tokenSignature)),
                "a credential or token signature was found on a topic");
    }

    @Test
    void shouldDenyWithReasonsWhenEnvironmentIsNotAllowed() {
        // given
        String token = client.tokenFor(DEPLOYER);

        // when
        var accepted = client.postJson(client.requestServiceUrl() + "/v1/access-requests", token,
                accessRequest("task-" + UUID.randomUUID(), "prod", 300));
        assertEquals(202, accepted.status(), accepted.raw());

        // then
        var denied = awaitStatus(accepted.body().get("requestId").asText(), token, "DENIED");
        assertFalse(denied.body().path("decisionReasons").isEmpty(), denied.raw());
        assertTrue(denied.body().path("grantId").isMissingNode() || denied.body().path("grantId").isNull(), denied.raw());
    }

    @Test
    void shouldRevokeWithTtlExpiredWhenGrantOutlivesItsTtl() {
        // given a 3 s grant
        String token = client.tokenFor(DEPLOYER);
        var accepted = client.postJson(client.requestServiceUrl() + "/v1/access-requests", token,
                accessRequest("task-" + UUID.randomUUID(), "staging", 3));
        String requestId = accepted.body().get("requestId").asText();

        // when its TTL passes, then
        var revoked = awaitStatus(requestId, token, "REVOKED");
        assertEquals("TTL_EXPIRED", revoked.body().path("revocationReason").asText(), revoked.raw());
    }

    @Test
    void shouldRefuseWhenTokenMissingOrRequestMalformedOrReaderIsAnotherWorkload() {
        // given
        String token = client.tokenFor(DEPLOYER);
        String url = client.requestServiceUrl() + "/v1/access-requests";

        // then: no token → 401
        assertEquals(401, client.postJson(url, null, accessRequest("task-x", "staging", 60)).status());
        // malformed → 400 naming the field
        var badTtl = client.postJson(url, token, accessRequest("task-x", "staging", 0));
        assertEquals(400, badTtl.status(), badTtl.raw());
        assertTrue(badTtl.raw().contains("ttlSeconds"), badTtl.raw());
        // another workload cannot read the deployer's request
        var accepted = client.postJson(url, token, accessRequest("task-" + UUID.randomUUID(), "staging", 60));
        String other = client.tokenFor("spiffe://dev.local/ci/intruder");
        assertEquals(403, client.get(url + "/" + accepted.body().get("requestId").asText(), other).status());
    }
}
