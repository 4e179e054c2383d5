package io.jitbroker.devstack.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole system as {@code ./jit-broker dev} runs it (infrastructure plus four service JVMs), driven
 * over HTTP (and JDBC for the PostgreSQL demo target) the way the README walkthrough does. The order
 * is fixed where the example policy makes it matter: the prod request comes first, while the deployer
 * holds nothing (prod is separated from staging), and the scan of every topic comes last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DevStackIT {

    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final String SRE = DevStackOptions.DEV_SRE_WORKLOAD;
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final String INVALID_PASSWORD = "28P01";

    private static TestStack stack;
    private static WalkthroughClient client;
    /** Credential material handed out during the run: none of it may ever be on a topic or in a log. */
    private static final List<String> SECRETS = new CopyOnWriteArrayList<>();
    /** Ids of the grants whose secrets those are: each must be on a topic, so the scan really read them. */
    private static final List<String> GRANT_IDS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startStack() {
        stack = TestStack.start("devstack-it");
        client = stack.client();
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

    @Test
    @Order(1)
    void shouldWaitForAnSreWhenDeployerWritesInProdAndDenyWhenTheSreRefuses() {
        // given: the deployer holds nothing yet, and prod writes need a change number and a human
        String token = client.tokenFor(DEPLOYER);
        var accepted = client.postJson(client.requestServiceUrl() + "/v1/access-requests", token, """
                {"taskId":"task-%s","environment":"prod",
                 "resources":[{"type":"http","id":"inventory-api","actions":["write"]}],
                 "ttlSeconds":300,"justification":"release CHG-123"}""".formatted(UUID.randomUUID()));
        assertEquals(202, accepted.status(), accepted.raw());
        String requestId = accepted.body().get("requestId").asText();

        // when
        var pending = client.awaitStatus(requestId, token, "PENDING_APPROVAL");

        // then: it waits for a human, and an SRE's refusal closes it
        assertTrue(pending.body().path("decisionReasons").toString().contains("deployer-prod-inventory-write-with-approval"),
                pending.raw());
        assertTrue(pending.body().path("approvalDeadline").isTextual(), pending.raw());
        var refusal = client.postJson(client.requestServiceUrl() + "/v1/access-requests/" + requestId + "/approval",
                client.tokenFor(SRE), "{\"approve\":false,\"reason\":\"outside the change window\"}");
        assertEquals(202, refusal.status(), refusal.raw());
        var denied = client.awaitStatus(requestId, token, "DENIED");
        assertEquals("APPROVAL_DENIED", denied.body().path("denyCode").asText(), denied.raw());
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
        var issued = client.awaitStatus(requestId, token, "ISSUED");
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
        var revoked = client.awaitStatus(requestId, token, "REVOKED");
        assertEquals("TASK_COMPLETED", revoked.body().path("revocationReason").asText(), revoked.raw());
        await().atMost(WalkthroughClient.FLOW_TIMEOUT).until(() -> !client.introspect(token, jwt).body().get("active").asBoolean());
        SECRETS.add(signature(jwt));
        GRANT_IDS.add(grantId);
    }

    @Test
    void shouldDenyProdWithReasonsWhenDeployerHoldsAStagingGrant() {
        // given: an issued staging grant
        String token = client.tokenFor(DEPLOYER);
        String stagingTask = "task-" + UUID.randomUUID();
        var staging = client.postJson(client.requestServiceUrl() + "/v1/access-requests", token,
                accessRequest(stagingTask, "staging", 300));
        client.awaitStatus(staging.body().get("requestId").asText(), token, "ISSUED");

        // when: the same deployer asks for prod
        var accepted = client.postJson(client.requestServiceUrl() + "/v1/access-requests", token,
                accessRequest("task-" + UUID.randomUUID(), "prod", 300));
        assertEquals(202, accepted.status(), accepted.raw());

        // then: prod and staging never share privilege
        var denied = client.awaitStatus(accepted.body().get("requestId").asText(), token, "DENIED");
        assertEquals("ENVIRONMENT_SEPARATION", denied.body().path("denyCode").asText(), denied.raw());
        assertFalse(denied.body().path("decisionReasons").isEmpty(), denied.raw());
        assertTrue(denied.body().path("grantId").isMissingNode() || denied.body().path("grantId").isNull(), denied.raw());
        // the staging task is done: its grant goes, so it counts against no cap in the tests after this one
        client.postJson(client.requestServiceUrl() + "/v1/tasks/" + stagingTask + "/events", token, "{\"type\":\"COMPLETED\"}");
        client.awaitStatus(staging.body().get("requestId").asText(), token, "REVOKED");
    }

    @Test
    void shouldGiveExactlyTheGrantedTableAndEndTheSessionWhenTaskCompletes() throws Exception {
        // given: a deployer's approved request to read the demo target's orders table
        String token = client.tokenFor(DEPLOYER);
        String taskId = "task-" + UUID.randomUUID();
        var accepted = client.postJson(client.requestServiceUrl() + "/v1/access-requests", token, """
                {"taskId":"%s","environment":"staging",
                 "resources":[{"type":"postgres","id":"orders-db/public.orders","actions":["SELECT"]}],
                 "ttlSeconds":300,"justification":"reconcile yesterday's orders"}""".formatted(taskId));
        assertEquals(202, accepted.status(), accepted.raw());
        String requestId = accepted.body().get("requestId").asText();
        String grantId = client.awaitStatus(requestId, token, "ISSUED").body().get("grantId").asText();

        // when: the workload picks its login up and connects
        var pickup = client.get(client.issuerServiceUrl() + "/v1/grants/" + grantId + "/credential", token);
        assertEquals(200, pickup.status(), pickup.raw());
        JsonNode login = pickup.body();
        SECRETS.add(login.path("password").asText());
        GRANT_IDS.add(grantId);
        assertEquals("postgres", login.path("type").asText(), pickup.raw());
        assertEquals(DevStackOptions.HOST, login.path("host").asText());
        assertEquals(stack.devStack().infrastructure().postgres().port(), login.path("port").asInt());
        assertEquals(DemoPostgresTarget.DATABASE, login.path("database").asText());
        assertTrue(login.path("password").asText().length() >= 32, "a long random password");
        Connection session = connect(login);

        // then: it reads the orders table, and nothing else
        assertEquals(3, count(session, "SELECT count(*) FROM public.orders"));
        assertRefused(INSUFFICIENT_PRIVILEGE, () -> update(session, "DELETE FROM public.orders"));
        assertRefused(INSUFFICIENT_PRIVILEGE, () -> count(session, "SELECT count(*) FROM public.payroll"));

        // and when the task completes while the session is open
        var completed = client.postJson(client.requestServiceUrl() + "/v1/tasks/" + taskId + "/events", token,
                "{\"type\":\"COMPLETED\"}");
        assertEquals(202, completed.status(), completed.raw());

        // then: revoked and enforced on the target: the open session is ended, a new login fails
        var revoked = client.awaitStatus(requestId, token, "REVOKED");
        assertEquals("TASK_COMPLETED", revoked.body().path("revocationReason").asText(), revoked.raw());
        String ledger = client.requestServiceUrl() + "/v1/access-requests/" + requestId;
        String backend = "postgres:" + DemoPostgresTarget.TARGET;
        await().atMost(WalkthroughClient.FLOW_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() ->
                backend.equals(client.get(ledger, token).body().path("enforcementBackend").asText()));
        assertRefused(null, () -> count(session, "SELECT count(*) FROM public.orders"));
        session.close();
        assertRefused(INVALID_PASSWORD, () -> connect(login).close());
    }

    @Test
    void shouldRevokeWithTtlExpiredWhenGrantOutlivesItsTtl() {
        // given a 3 s grant
        String token = client.tokenFor(DEPLOYER);
        var accepted = client.postJson(client.requestServiceUrl() + "/v1/access-requests", token,
                accessRequest("task-" + UUID.randomUUID(), "staging", 3));
        String requestId = accepted.body().get("requestId").asText();

        // when its TTL passes, then
        var revoked = client.awaitStatus(requestId, token, "REVOKED");
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

    @Test
    @Order(Integer.MAX_VALUE)
    void shouldFindNoCredentialMaterialOnAnyTopicOrInAnyLogAfterTheRun() throws IOException {
        // given: every secret of the run: the credentials and logins handed out, every workload token
        List<String> secrets = Stream.concat(SECRETS.stream(), client.mintedTokens().stream().map(DevStackIT::signature))
                .toList();

        // when
        List<String> records = TopicScanner.allRecords(stack.devStack().infrastructure().kafka().bootstrapServers());

        // then: the scan read the grants of those secrets, and none of the secrets
        for (String grantId : GRANT_IDS) {
            assertTrue(records.stream().anyMatch(r -> r.contains(grantId)), "no record of grant " + grantId + " was read");
        }
        for (String secret : secrets) {
            assertTrue(records.stream().noneMatch(r -> r.contains(secret)), "credential material was found on a topic");
        }
        // and none in the services' logs either
        try (Stream<Path> logs = Files.list(stack.options().logDir())) {
            for (Path log : logs.toList()) {
                String text = Files.readString(log, StandardCharsets.UTF_8);
                for (String secret : secrets) {
                    assertFalse(text.contains(secret), "credential material was found in " + log.getFileName());
                }
            }
        }
    }

    /** A JWT's signature: unique to the token, and what would show if the token leaked. */
    private static String signature(String jwt) {
        return jwt.substring(jwt.lastIndexOf('.') + 1);
    }

    private static Connection connect(JsonNode login) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", login.path("username").asText());
        properties.setProperty("password", login.path("password").asText());
        return DriverManager.getConnection("jdbc:postgresql://" + login.path("host").asText() + ":"
                + login.path("port").asInt() + "/" + login.path("database").asText(), properties);
    }

    private static int count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getInt(1);
        }
    }

    private static void update(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    private interface SqlAction {
        void run() throws SQLException;
    }

    /** @param sqlState the expected SQLState; null for any failure (a terminated session says several things) */
    private static void assertRefused(String sqlState, SqlAction action) {
        SQLException refused = assertThrows(SQLException.class, action::run);
        if (sqlState != null) {
            assertEquals(sqlState, refused.getSQLState(), refused.getMessage());
        }
    }
}
