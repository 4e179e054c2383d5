package io.jitbroker.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a real HTTP server that answers as scripted: bodies, headers, errors, waiting. */
class JitClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REQUEST_ID = "7d4f0c1e-1111-4a4a-9b9b-000000000001";

    private FakeService requestService;
    private FakeService issuerService;
    private JitClient client;

    @BeforeEach
    void startServices() {
        requestService = new FakeService();
        issuerService = new FakeService();
        client = clientWith(() -> "token-1", null);
    }

    @AfterEach
    void stopServices() {
        requestService.close();
        issuerService.close();
    }

    private JitClient clientWith(java.util.function.Supplier<String> token, DpopProofs proofs) {
        return JitClient.builder()
                .requestServiceUrl(requestService.url())
                .issuerServiceUrl(issuerService.url())
                .token(token)
                .policyServiceUrl(requestService.url())
                .dpopProofs(proofs)
                .pollInterval(Duration.ofMillis(10))
                .build();
    }

    private static String entry(String status, String extra) {
        return "{\"requestId\":\"" + REQUEST_ID + "\",\"status\":\"" + status + "\",\"ttlSeconds\":600"
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    @Test
    void shouldSendTheRequestWithItsIdempotencyKeyAndTokenWhenRequestingAccess() throws Exception {
        // given
        requestService.answer(202, "{\"requestId\":\"" + REQUEST_ID + "\",\"status\":\"PENDING\"}");
        AccessRequest request = AccessRequest.builder().taskId("deploy-42").environment("staging")
                .resource(Resource.parse("http:inventory-api:read,write")).ttl(Duration.ofMinutes(10))
                .justification("deploy build 42").heartbeatInterval(Duration.ofSeconds(30)).build();

        // when
        RequestAccepted accepted = client.requestAccess(request, "key-1");

        // then
        assertEquals(new RequestAccepted(REQUEST_ID, "PENDING"), accepted);
        FakeService.Received sent = requestService.last();
        assertEquals("POST /v1/access-requests", sent.method() + " " + sent.uri());
        assertEquals("key-1", sent.header("Idempotency-Key"));
        assertEquals("Bearer token-1", sent.header("Authorization"));
        assertEquals(JSON.readTree("{\"taskId\":\"deploy-42\",\"environment\":\"staging\","
                + "\"resources\":[{\"type\":\"http\",\"id\":\"inventory-api\",\"actions\":[\"read\",\"write\"]}],"
                + "\"ttlSeconds\":600,\"justification\":\"deploy build 42\",\"heartbeatIntervalSeconds\":30}"),
                JSON.readTree(sent.body()));
    }

    @Test
    void shouldSendTheTraceParentWithEveryCallWhenOneIsGiven() {
        // given
        String trace = TraceParent.newTrace();
        JitClient traced = JitClient.builder().requestServiceUrl(requestService.url()).issuerServiceUrl(issuerService.url())
                .token(() -> "token-1").traceParent(trace).build();
        requestService.answer(200, entry("PENDING", ""));

        // when
        traced.status(REQUEST_ID);

        // then
        assertEquals(trace, requestService.last().header("traceparent"));
        assertEquals(trace, TraceParent.orNewTrace(trace), "a valid traceparent is kept");
        assertNotEquals("00-bad", TraceParent.orNewTrace("00-bad"));
    }

    @Test
    void shouldCarryStatusErrorCodeAndMessageWhenTheServiceRefuses() {
        // given
        requestService.answer(409, "{\"error\":\"not_pending_approval\",\"message\":\"request is ISSUED\"}");

        // when
        JitApiException refused = assertThrows(JitApiException.class, () -> client.approve(REQUEST_ID, "ok"));

        // then
        assertEquals(409, refused.status());
        assertEquals("not_pending_approval", refused.error());
        assertEquals("request is ISSUED", refused.serverMessage());
        assertFalse(refused.retryable());
    }

    @Test
    void shouldUseTheStatusAsErrorCodeWhenTheErrorBodyIsNotJson() {
        // given: a proxy's page
        requestService.answer(502, "<html><body>Bad Gateway</body></html>", Map.of("Content-Type", "text/html"));

        // when
        JitApiException refused = assertThrows(JitApiException.class, () -> client.status(REQUEST_ID));

        // then
        assertEquals("http_502", refused.error());
        assertTrue(refused.serverMessage().contains("Bad Gateway"), refused.serverMessage());
        assertTrue(refused.retryable());
    }

    @Test
    void shouldCarryRetryAfterWhenTheServiceIsUnavailable() {
        // given
        requestService.answer(503, "{\"error\":\"unavailable\",\"message\":\"no database connection\"}",
                Map.of("Content-Type", "application/json", "Retry-After", "3"));

        // when
        JitApiException refused = assertThrows(JitApiException.class, () -> client.complete("deploy-42"));

        // then
        assertEquals(Duration.ofSeconds(3), refused.retryAfter().orElseThrow());
    }

    @Test
    void shouldBeAJitExceptionWhenTheServiceCannotBeReached() {
        // given
        requestService.close();

        // when / then
        JitException failed = assertThrows(JitException.class, () -> client.status(REQUEST_ID));
        assertFalse(failed instanceof JitApiException);
    }

    @Test
    void shouldReadTheLedgerEntryWithItsInstantsWhenAskingForStatus() {
        // given
        requestService.answer(200, entry("PENDING_APPROVAL",
                "\"approvalDeadline\":\"2026-11-23T10:15:00Z\",\"decisionReasons\":[\"needs approval\"],"
                        + "\"grantedResources\":[{\"type\":\"http\",\"id\":\"inventory-api\",\"actions\":[\"write\"]}],"
                        + "\"someFutureField\":1"));

        // when
        LedgerEntry entry = client.status(REQUEST_ID, Duration.ofSeconds(10));

        // then
        assertEquals("/v1/access-requests/" + REQUEST_ID + "?wait=10000ms", requestService.last().uri());
        assertTrue(entry.pendingApproval());
        assertEquals(Instant.parse("2026-11-23T10:15:00Z"), entry.approvalDeadline());
        assertEquals(List.of(Resource.of("http", "inventory-api", "write")), entry.grantedResources());
        assertEquals(List.of("needs approval"), entry.decisionReasons());
    }

    @Test
    void shouldReportEachNewStatusAndReturnTheDenialWhenAwaitingAnApprovalThatIsRefused() {
        // given: the service answers PENDING, then PENDING_APPROVAL twice (it does not wait for an SRE), then DENIED
        requestService.answer(200, entry("PENDING", ""))
                .answer(200, entry("PENDING_APPROVAL", "\"approvalDeadline\":\"2026-11-23T10:15:00Z\""))
                .answer(200, entry("PENDING_APPROVAL", "\"approvalDeadline\":\"2026-11-23T10:15:00Z\""))
                .answer(200, entry("DENIED", "\"denyCode\":\"APPROVAL_DENIED\",\"decisionReasons\":[\"not now\"]"));
        List<String> seen = new ArrayList<>();

        // when
        LedgerEntry outcome = client.awaitOutcome(REQUEST_ID, Duration.ofSeconds(20), e -> seen.add(e.status()));

        // then
        assertEquals(List.of("PENDING", "PENDING_APPROVAL", "DENIED"), seen);
        assertTrue(outcome.denied());
        assertEquals("APPROVAL_DENIED", outcome.denyCode());
        assertEquals(4, requestService.received().size());
    }

    @Test
    void shouldAskAgainWhenTheServiceIsBrieflyUnavailableWhileAwaiting() {
        // given
        requestService.answer(503, "{\"error\":\"unavailable\",\"message\":\"try later\"}")
                .answer(200, entry("ISSUED", "\"grantId\":\"g-1\""));

        // when
        LedgerEntry outcome = client.awaitOutcome(REQUEST_ID, Duration.ofSeconds(20), AwaitListener.NONE);

        // then
        assertTrue(outcome.issued());
        assertEquals("g-1", outcome.grantId());
    }

    @Test
    void shouldTimeOutWithTheLastEntryWhenNothingIsSettledInTime() {
        // given: an approval that stays pending
        for (int i = 0; i < 200; i++) {
            requestService.answer(200, entry("PENDING_APPROVAL", ""));
        }

        // when
        JitTimeoutException timedOut = assertThrows(JitTimeoutException.class,
                () -> client.awaitOutcome(REQUEST_ID, Duration.ofMillis(100), AwaitListener.NONE));

        // then
        assertEquals("PENDING_APPROVAL", timedOut.lastSeen().status());
    }

    @Test
    void shouldStopAtOnceWhenTheServiceRefusesWhileAwaiting() {
        // given
        requestService.answer(403, "{\"error\":\"forbidden\",\"message\":\"not yours\"}");

        // when
        JitApiException refused = assertThrows(JitApiException.class,
                () -> client.awaitOutcome(REQUEST_ID, Duration.ofSeconds(20), AwaitListener.NONE));

        // then
        assertEquals(403, refused.status());
        assertEquals(1, requestService.received().size());
    }

    @Test
    void shouldReadAJwtCredentialAndNeverShowItWhenPickingUp() {
        // given
        issuerService.answer(200, "{\"credential\":\"eyJsecret.part.sig\",\"type\":\"jwt\",\"tokenType\":\"Bearer\","
                + "\"expiresAt\":\"2026-11-23T10:15:00Z\"}");

        // when
        Credential credential = client.pickUp("g-1");

        // then
        assertEquals(new JwtCredential("eyJsecret.part.sig", "Bearer", Instant.parse("2026-11-23T10:15:00Z")), credential);
        assertEquals("/v1/grants/g-1/credential", issuerService.last().uri());
        assertFalse(credential.toString().contains("eyJsecret"), credential.toString());
        assertEquals("eyJsecret.part.sig", credential.environment().get("JIT_CREDENTIAL"));
    }

    @Test
    void shouldReadAPostgresLoginAndNeverShowItsPasswordWhenPickingUp() {
        // given
        issuerService.answer(200, "{\"type\":\"postgres\",\"expiresAt\":\"2026-11-23T10:15:00Z\",\"host\":\"127.0.0.1\","
                + "\"port\":5433,\"database\":\"orders\",\"username\":\"jit_abc\",\"password\":\"s3cr3t-pw\"}");

        // when
        Credential credential = client.pickUp("g-1");

        // then
        assertTrue(credential instanceof PostgresCredential, credential.toString());
        assertFalse(credential.toString().contains("s3cr3t-pw"), credential.toString());
        assertEquals(Map.of("PGHOST", "127.0.0.1", "PGPORT", "5433", "PGDATABASE", "orders", "PGUSER", "jit_abc",
                "PGPASSWORD", "s3cr3t-pw"), credential.environment());
    }

    @Test
    void shouldSendAFreshDpopProofForTheCredentialUrlWhenProofsAreGiven() {
        // given
        issuerService.answer(200, "{\"credential\":\"c\",\"type\":\"jwt\",\"tokenType\":\"DPoP\",\"expiresAt\":\"2026-11-23T10:15:00Z\"}");
        JitClient withProofs = clientWith(() -> "token-1", (method, uri) -> "proof-for-" + method + "-" + uri.getPath());

        // when
        withProofs.pickUp("g-1");

        // then
        assertEquals("proof-for-GET-/v1/grants/g-1/credential", issuerService.last().header("DPoP"));
    }

    @Test
    void shouldSendTheTokenOfTheMomentWhenTheSupplierGivesANewOne() {
        // given
        AtomicInteger rotation = new AtomicInteger();
        JitClient rotating = clientWith(() -> "token-" + rotation.incrementAndGet(), null);
        requestService.answer(202, "{\"eventId\":\"e1\"}").answer(202, "{\"eventId\":\"e2\"}");

        // when
        String first = rotating.heartbeat("deploy-42");
        String second = rotating.cancel("deploy-42");

        // then
        assertEquals(List.of("e1", "e2"), List.of(first, second));
        assertEquals(List.of("Bearer token-1", "Bearer token-2"),
                requestService.received().stream().map(r -> r.header("Authorization")).toList());
        assertEquals("{\"type\":\"CANCELLED\"}", requestService.last().body());
    }

    @Test
    void shouldEncodeEveryFilterWhenQueryingTheLedger() {
        // given
        requestService.answer(200, "{\"entries\":[" + entry("REVOKED", "\"revocationReason\":\"TASK_COMPLETED\"")
                + "],\"nextCursor\":null}");
        LedgerQuery query = LedgerQuery.builder().workloadId("spiffe://dev.local/ci/deployer").status("REVOKED")
                .from(Instant.parse("2026-11-23T10:00:00Z")).limit(5).build();

        // when
        LedgerPage page = client.ledger(query);

        // then
        assertEquals("/v1/ledger?workloadId=spiffe%3A%2F%2Fdev.local%2Fci%2Fdeployer&status=REVOKED"
                + "&from=2026-11-23T10%3A00%3A00Z&limit=5", requestService.last().uri());
        assertEquals("TASK_COMPLETED", page.entries().get(0).revocationReason());
        assertNull(page.nextCursor());
    }

    @Test
    void shouldNameTheScopeWhenRevokingATask() throws Exception {
        // given
        requestService.answer(202, "{\"eventId\":\"e1\",\"scope\":\"TASK\",\"workloadId\":\"w\",\"taskId\":\"t\",\"grantId\":null}");

        // when
        RevocationAccepted accepted = client.revokeTask("t", null, "INC-4711");

        // then
        assertEquals(new RevocationAccepted("e1", "TASK", "w", "t", null), accepted);
        JsonNode sent = JSON.readTree(requestService.last().body());
        assertEquals(JSON.readTree("{\"scope\":\"TASK\",\"taskId\":\"t\",\"reason\":\"INC-4711\"}"), sent);
    }

    @Test
    void shouldSendTheYamlAsWrittenAndTellWhetherItWasPublishedWhenPublishingPolicy() {
        // given
        String yaml = "version: \"2\"\nrules: []\n";
        requestService.answer(201, "{\"name\":\"default\",\"version\":\"2\",\"previousVersion\":\"1\"}")
                .answer(200, "{\"name\":\"default\",\"version\":\"2\",\"previousVersion\":null}");

        // when
        PolicyPublication published = client.publishPolicy(yaml);
        PolicyPublication unchanged = client.publishPolicy(yaml);

        // then
        assertEquals(new PolicyPublication(201, "default", "2", "1"), published);
        assertTrue(published.published());
        assertFalse(unchanged.published());
        assertEquals(yaml, requestService.last().body());
        assertEquals("application/yaml", requestService.last().header("Content-Type"));
    }

    @Test
    void shouldCarryTheLineWhenAPolicyIsInvalid() {
        // given
        requestService.answer(400, "{\"error\":\"invalid_policy\",\"message\":\"line 12: rules[2].condition: undeclared\",\"line\":12}");

        // when
        JitApiException refused = assertThrows(JitApiException.class, () -> client.publishPolicy("x: y"));

        // then
        assertEquals("invalid_policy", refused.error());
        assertTrue(refused.serverMessage().startsWith("line 12: "), refused.serverMessage());
    }

    @Test
    void shouldReadEveryRulesEvaluationWhenExplaining() throws Exception {
        // given
        requestService.answer(200, "{\"outcome\":\"APPROVED\",\"grantedResources\":[{\"type\":\"http\",\"id\":\"inventory-api\","
                + "\"actions\":[\"read\"]}],\"grantedTtlSeconds\":600,\"reasons\":[\"granted\"],\"matchedRules\":[\"r1\"],"
                + "\"policyVersion\":\"1\",\"evaluatedAgainst\":\"current\",\"evaluations\":[{\"ruleId\":\"r1\",\"effect\":\"allow\","
                + "\"matched\":true,\"why\":\"all conditions hold\"}]}");
        PolicyQuestion question = new PolicyQuestion("spiffe://dev.local/ci/deployer", "staging",
                List.of(Resource.parse("http:inventory-api:read")), Duration.ofMinutes(10), null, null);

        // when
        PolicyExplanation explanation = client.explainPolicy(question);

        // then
        assertEquals("APPROVED", explanation.outcome());
        assertEquals(List.of(new PolicyExplanation.RuleEvaluation("r1", "allow", true, "all conditions hold")),
                explanation.evaluations());
        assertEquals(JSON.readTree("{\"workloadId\":\"spiffe://dev.local/ci/deployer\",\"environment\":\"staging\","
                + "\"resources\":[{\"type\":\"http\",\"id\":\"inventory-api\",\"actions\":[\"read\"]}],\"ttlSeconds\":600}"),
                JSON.readTree(requestService.last().body()));
    }
}
