package io.jitbroker.request.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.contracts.Topics;
import io.jitbroker.micronaut.http.InFlightLimit;
import io.jitbroker.devstack.EmbeddedPostgresServer;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.DecisionOutcome;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationEnforced;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.request.metrics.RequestMetrics;
import io.jitbroker.request.support.Api;
import io.jitbroker.request.support.Api.Reply;
import io.jitbroker.request.support.Closing;
import io.jitbroker.request.support.Decisions;
import io.jitbroker.request.support.RunningService;
import io.jitbroker.request.support.TopicProbe;
import io.jitbroker.testkit.Tokens;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;

/** The ledger follows decisions, grants, revocations and enforcements written by other services, on real infrastructure. */
class LedgerProjectionIT {

    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final String INTRUDER = "spiffe://dev.local/ci/intruder";
    private static final String SRE = "spiffe://dev.local/sre/alice";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private static Infrastructure infra;
    private static RunningService service;
    private static Api api;
    private static Tokens tokens;
    private static Producer<String, Object> events;
    private static Producer<String, byte[]> rawBytes;
    private static TopicProbe<DeadLetter> deadLetters;

    @BeforeAll
    static void start() {
        infra = Infrastructure.startForTests();
        infra.kafka().createTopics(Topics.newTopics(3, (short) 1));
        // Short retries: an unknown request is given up on quickly here.
        service = RunningService.start(infra, Map.of(), Map.of("jit.ledger.retry-count", "2", "jit.ledger.retry-delay", "50ms"));
        api = new Api(service);
        tokens = new Tokens(infra.identityProvider());
        Map<String, Object> config = new RegistrySerdes(infra.registry().nativeApiUrl()).producerConfig();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        events = new KafkaProducer<>(config);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        rawBytes = new KafkaProducer<>(config);
        deadLetters = TopicProbe.onTopic(infra, Topics.DEAD_LETTERS);
    }

    @AfterAll
    static void stop() {
        Closing.inOrder(deadLetters, events, rawBytes, service, infra);
    }

    @BeforeEach
    void forgetEarlierDeadLetters() {
        deadLetters.skipToEnd();
    }

    @Test
    void shouldShowDeniedWithReasonsWhenPolicyDenies() {
        // given
        Request request = submit();

        // when
        send(Topics.ACCESS_DECISIONS.name(), request.id(), decision(request, DecisionOutcome.DENIED,
                List.of("no rule allows writes to prod", "outside the change window"), NOW.plusSeconds(1)));

        // then
        Map<String, Object> entry = awaitStatus(request, "DENIED");
        assertEquals("DENIED", entry.get("decision"));
        assertEquals(List.of("no rule allows writes to prod", "outside the change window"), entry.get("decisionReasons"));
        assertEquals(Decisions.POLICY_VERSION, entry.get("policyVersion"));
        assertEquals(NOW.plusSeconds(1), Instant.parse((String) entry.get("decidedAt")));
        assertNull(entry.get("grantId"));
    }

    @Test
    void shouldShowIssuedThenRevokedWithReasonAndTimesWhenApprovedGrantedAndRevoked() {
        // given
        Request request = submit();
        String grantId = "grant-" + UUID.randomUUID();

        // when approved
        send(Topics.ACCESS_DECISIONS.name(), request.id(), decision(request, DecisionOutcome.APPROVED,
                List.of("rule deploy-prod allows it"), NOW.plusSeconds(1)));

        // then the decision is recorded, the grant not issued yet
        Map<String, Object> approved = awaitStatus(request, "APPROVED");
        assertNotNull(approved.get("decidedAt"));
        assertEquals("APPROVED", approved.get("decision"));
        assertEquals(List.of(Map.of("type", "postgres", "id", "orders-db", "actions", List.of("read"))), approved.get("grantedResources"));
        assertEquals(600, ((Number) approved.get("grantedTtlSeconds")).intValue());

        // when issued
        send(Topics.GRANTS.name(), grantId, grant(request, grantId, request.workload(), NOW.plusSeconds(2)));

        // then
        Map<String, Object> issued = awaitStatus(request, "ISSUED");
        assertEquals(grantId, issued.get("grantId"));
        assertEquals(NOW.plusSeconds(2), Instant.parse((String) issued.get("issuedAt")));
        assertEquals(NOW.plusSeconds(602), Instant.parse((String) issued.get("expiresAt")));

        // when revoked
        send(Topics.REVOCATIONS.name(), grantId, revocation(request, grantId, NOW.plusSeconds(3)));

        // then
        Map<String, Object> revoked = awaitStatus(request, "REVOKED");
        assertEquals("TASK_COMPLETED", revoked.get("revocationReason"));
        assertEquals("the task reported COMPLETED", revoked.get("revocationDetail"));
        assertEquals(NOW.plusSeconds(3), Instant.parse((String) revoked.get("revokedAt")));
        assertEquals(NOW.plusSeconds(2), Instant.parse((String) revoked.get("issuedAt")));
        assertEquals(NOW.plusSeconds(1), Instant.parse((String) revoked.get("decidedAt")));
        assertEquals(List.of("rule deploy-prod allows it"), revoked.get("decisionReasons"));
    }

    @Test
    void shouldShowTheCauseAndTheEnforcementWhenTheRevocationIsEnforced() {
        // given an issued grant revoked because of a task event
        Request request = submit();
        String grantId = "grant-" + UUID.randomUUID();
        String causeEventId = UUID.randomUUID().toString();
        MeterRegistry meters = service.context().getBean(MeterRegistry.class);
        double before = meters.counter(RequestMetrics.ENFORCEMENTS).count();
        send(Topics.GRANTS.name(), grantId, grant(request, grantId, request.workload(), NOW.plusSeconds(2)));
        Revocation revocation = revocation(request, grantId, NOW.plusSeconds(3));
        revocation.setCauseEventId(causeEventId);
        send(Topics.REVOCATIONS.name(), grantId, revocation);
        awaitStatus(request, "REVOKED");

        // when
        send(Topics.ENFORCEMENTS.name(), grantId, enforcement(request, grantId, NOW.plusSeconds(4)));

        // then
        Map<String, Object> entry = awaitEnforced(request);
        assertEquals("REVOKED", entry.get("status"));
        assertEquals(NOW.plusSeconds(4), Instant.parse((String) entry.get("enforcedAt")));
        assertEquals("jwt-denylist", entry.get("enforcementBackend"));
        assertEquals(causeEventId, entry.get("causeEventId"));
        assertEquals("TASK_COMPLETED", entry.get("revocationReason"));
        await().atMost(Duration.ofSeconds(30)).until(() -> meters.counter(RequestMetrics.ENFORCEMENTS).count() == before + 1);
    }

    @Test
    void shouldRecordTheEnforcementAndThenTheRevocationWhenTheEnforcementArrivesFirst() {
        // given
        Request request = submit();
        String grantId = "grant-" + UUID.randomUUID();
        send(Topics.GRANTS.name(), grantId, grant(request, grantId, request.workload(), NOW.plusSeconds(2)));
        awaitStatus(request, "ISSUED");

        // when the enforcement overtakes its revocation
        send(Topics.ENFORCEMENTS.name(), grantId, enforcement(request, grantId, NOW.plusSeconds(4)));

        // then it is recorded and the status waits for the revocation
        Map<String, Object> enforced = awaitEnforced(request);
        assertEquals("ISSUED", enforced.get("status"));
        assertEquals("jwt-denylist", enforced.get("enforcementBackend"));

        // when the revocation arrives
        send(Topics.REVOCATIONS.name(), grantId, revocation(request, grantId, NOW.plusSeconds(3)));

        // then both are shown
        Map<String, Object> revoked = awaitStatus(request, "REVOKED");
        assertEquals("TASK_COMPLETED", revoked.get("revocationReason"));
        assertEquals(NOW.plusSeconds(3), Instant.parse((String) revoked.get("revokedAt")));
        assertEquals(NOW.plusSeconds(4), Instant.parse((String) revoked.get("enforcedAt")));
        assertEquals("jwt-denylist", revoked.get("enforcementBackend"));
        assertNull(revoked.get("causeEventId"));
    }

    @Test
    void shouldDeadLetterGarbageOnTheEnforcementsTopicAndCarryOn() {
        // given
        Request request = submit();
        String grantId = "grant-" + UUID.randomUUID();
        byte[] garbage = "not an enforcement".getBytes(StandardCharsets.UTF_8);

        // when
        sendRaw(Topics.ENFORCEMENTS.name(), "garbage-" + grantId, garbage);
        send(Topics.ENFORCEMENTS.name(), grantId, enforcement(request, grantId, NOW.plusSeconds(4)));

        // then the good record after it is applied
        assertEquals("jwt-denylist", awaitEnforced(request).get("enforcementBackend"));
        // and the garbage is on the dead-letter topic
        DeadLetter letter = deadLetters.awaitRecord(r -> ("garbage-" + grantId).equals(r.key())).stream()
                .filter(r -> ("garbage-" + grantId).equals(r.key())).findFirst().orElseThrow().value();
        assertEquals(Topics.ENFORCEMENTS.name(), letter.getSourceTopic());
        assertArrayEquals(garbage, bytes(letter.getPayload()));
    }

    @Test
    void shouldKeepTheStatusAndRecordTheDecisionWhenTheGrantOvertakesItsDecision() {
        // given
        Request request = submit();
        String grantId = "grant-" + UUID.randomUUID();
        send(Topics.GRANTS.name(), grantId, grant(request, grantId, request.workload(), NOW.plusSeconds(2)));
        awaitStatus(request, "ISSUED");

        // when
        send(Topics.ACCESS_DECISIONS.name(), request.id(), decision(request, DecisionOutcome.APPROVED,
                List.of("rule deploy-prod allows it"), NOW.plusSeconds(1)));

        // then
        Map<String, Object> entry = await().atMost(Duration.ofSeconds(30))
                .until(() -> read(request), e -> e.get("decidedAt") != null);
        assertEquals("ISSUED", entry.get("status"));
        assertEquals("APPROVED", entry.get("decision"));
        assertEquals(grantId, entry.get("grantId"));
    }

    @Test
    void shouldDeadLetterGarbageAndCarryOnWhenARecordDoesNotDecode() {
        // given
        Request request = submit();
        String grantId = "grant-" + UUID.randomUUID();
        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);

        // when
        sendRaw(Topics.GRANTS.name(), "garbage-" + grantId, garbage);
        send(Topics.GRANTS.name(), grantId, grant(request, grantId, request.workload(), NOW.plusSeconds(2)));

        // then the good record after it is applied
        assertEquals(grantId, awaitStatus(request, "ISSUED").get("grantId"));
        // and the garbage is on the dead-letter topic, whole
        ConsumerRecord<String, DeadLetter> letter = deadLetters
                .awaitRecord(r -> r.value().getSourceTopic().equals(Topics.GRANTS.name())).stream()
                .filter(r -> r.value().getSourceTopic().equals(Topics.GRANTS.name()))
                .findFirst().orElseThrow();
        assertEquals("garbage-" + grantId, letter.key());
        assertEquals(LedgerProjectionListener.GROUP_ID, letter.value().getConsumer());
        assertArrayEquals(garbage, bytes(letter.value().getPayload()));
        assertTrue(letter.value().getReason().contains("Exception"), letter.value().getReason());
    }

    @Test
    void shouldDeadLetterAndNotApplyAGrantThatNamesAnotherWorkload() {
        // given
        Request request = submit();
        String grantId = "grant-" + UUID.randomUUID();

        // when
        send(Topics.GRANTS.name(), grantId, grant(request, grantId, INTRUDER, NOW.plusSeconds(2)));

        // then
        DeadLetter letter = deadLetters.awaitRecord(r -> r.key().equals(grantId)).stream()
                .filter(r -> grantId.equals(r.key())).findFirst().orElseThrow().value();
        assertEquals(Topics.GRANTS.name(), letter.getSourceTopic());
        assertTrue(letter.getReason().contains("names workload " + INTRUDER), letter.getReason());
        assertEquals("PENDING", read(request).get("status"));
    }

    @Test
    void shouldDeadLetterADecisionWithoutARequestId() {
        // given
        Request request = submit();
        AccessDecision blank = decision(request, DecisionOutcome.APPROVED, List.of("r"), NOW);
        blank.setRequestId(" ");

        // when
        send(Topics.ACCESS_DECISIONS.name(), "blank-" + request.id(), blank);

        // then
        DeadLetter letter = deadLetters.awaitRecord(r -> r.key().equals("blank-" + request.id())).stream()
                .filter(r -> r.key().equals("blank-" + request.id())).findFirst().orElseThrow().value();
        assertEquals("requestId is blank", letter.getReason());
    }

    @Test
    void shouldCountAndSkipAnEventForAnUnknownRequest() {
        // given
        MeterRegistry meters = service.context().getBean(MeterRegistry.class);
        double before = meters.counter(RequestMetrics.LEDGER_UNKNOWN, "topic", Topics.REVOCATIONS.name()).count();
        Request unknown = new Request(UUID.randomUUID().toString(), DEPLOYER, "task-" + UUID.randomUUID(), null);

        // when
        send(Topics.REVOCATIONS.name(), "grant-x", revocation(unknown, "grant-x", NOW));

        // then
        await().atMost(Duration.ofSeconds(30)).until(
                () -> meters.counter(RequestMetrics.LEDGER_UNKNOWN, "topic", Topics.REVOCATIONS.name()).count() == before + 1);
        // and the consumer carries on
        Request request = submit();
        send(Topics.REVOCATIONS.name(), "grant-y", revocation(request, "grant-y", NOW));
        awaitStatus(request, "REVOKED");
    }

    // ---- waiting for approval, break-glass ----

    @Test
    void shouldShowPendingApprovalThenApprovedWithTheSreWhenTheApprovalDecisionFollows() {
        // given
        Request request = submit();
        Instant deadline = NOW.plusSeconds(900);

        // when policy asks for an approval
        askForApproval(request, deadline);

        // then
        Map<String, Object> waiting = awaitStatus(request, "PENDING_APPROVAL");
        assertEquals("PENDING_APPROVAL", waiting.get("decision"));
        assertEquals(List.of(Decisions.APPROVAL_NEEDED), waiting.get("decisionReasons"));
        assertEquals(deadline, Instant.parse((String) waiting.get("approvalDeadline")));
        assertNull(waiting.get("approvedBy"));

        // when an SRE's approval made policy approve
        send(Topics.ACCESS_DECISIONS.name(), request.id(), Decisions.afterApproval(request.id(), request.workload(),
                request.taskId(), true, SRE, "INC-7 hotfix, diff reviewed", NOW.plusSeconds(60)).build());

        // then
        Map<String, Object> approved = awaitStatus(request, "APPROVED");
        assertEquals("APPROVED", approved.get("decision"));
        assertEquals(SRE, approved.get("approvedBy"));
        assertEquals("INC-7 hotfix, diff reviewed", approved.get("approvalReason"));
        assertEquals(List.of("approved by " + SRE), approved.get("decisionReasons"));
        assertEquals(NOW.plusSeconds(60), Instant.parse((String) approved.get("decidedAt")));
        assertEquals(deadline, Instant.parse((String) approved.get("approvalDeadline")));
        assertNull(approved.get("denyCode"));

        // and the grant that follows moves it on as always
        String grantId = "grant-" + UUID.randomUUID();
        send(Topics.GRANTS.name(), grantId, grant(request, grantId, request.workload(), NOW.plusSeconds(61)));
        assertEquals(SRE, awaitStatus(request, "ISSUED").get("approvedBy"));
    }

    @Test
    void shouldShowDeniedWithTheCodeWhenTheSreDenies() {
        // given
        Request request = submit();
        askForApproval(request, NOW.plusSeconds(900));
        awaitStatus(request, "PENDING_APPROVAL");

        // when
        send(Topics.ACCESS_DECISIONS.name(), request.id(), Decisions.afterApproval(request.id(), request.workload(),
                request.taskId(), false, SRE, "not during the freeze", NOW.plusSeconds(60)).build());

        // then
        Map<String, Object> denied = awaitStatus(request, "DENIED");
        assertEquals("APPROVAL_DENIED", denied.get("denyCode"));
        assertEquals(SRE, denied.get("approvedBy"));
        assertEquals("not during the freeze", denied.get("approvalReason"));
    }

    @Test
    void shouldMarkTheReasonsInTheViewButNotInTheLedgerWhenTheEntryIsBreakGlass() throws SQLException {
        // given
        Request request = submit(true);

        // when
        send(Topics.ACCESS_DECISIONS.name(), request.id(), Decisions.decision(request.id(), request.workload(),
                        request.taskId(), DecisionOutcome.APPROVED, List.of("break-glass rule bg-prod", "ttl capped at 600 s"),
                        NOW.plusSeconds(1))
                .setBreakGlass(true)
                .build());

        // then the view makes it stand out
        Map<String, Object> entry = awaitStatus(request, "APPROVED");
        assertEquals(true, entry.get("breakGlass"));
        assertEquals(true, entry.get("decisionBreakGlass"));
        assertEquals(List.of("BREAK-GLASS: break-glass rule bg-prod", "BREAK-GLASS: ttl capped at 600 s"),
                entry.get("decisionReasons"));
        // and the ledger keeps policy's own words
        assertEquals("[\"break-glass rule bg-prod\", \"ttl capped at 600 s\"]", storedReasons(request));
    }

    // ---- helpers ----

    private record Request(String id, String workload, String taskId, String idempotencyKey) {
    }

    // ---- waiting for the answer: GET ...?wait= ----

    @Test
    void shouldAnswerTheWaitingWorkloadOnceTheGrantIsIssuedAndNotBefore() throws Exception {
        // given a workload waiting up to 30 s for its answer
        Request request = submit();
        String grantId = "grant-" + UUID.randomUUID();
        CompletableFuture<Reply> waiting = CompletableFuture.supplyAsync(
                () -> api.get("/v1/access-requests/" + request.id() + "?wait=30s", tokens.valid(DEPLOYER)));

        // when approved: still on its way, so the workload keeps waiting...
        send(Topics.ACCESS_DECISIONS.name(), request.id(), decision(request, DecisionOutcome.APPROVED,
                List.of("rule deploy-prod allows it"), NOW.plusSeconds(1)));
        awaitStatus(request, "APPROVED");
        assertFalse(waiting.isDone(), "an approved request without its grant is still on its way");
        // ... and issued
        send(Topics.GRANTS.name(), grantId, grant(request, grantId, request.workload(), NOW.plusSeconds(2)));

        // then the answer comes with the grant, long before the 30 s are over
        Reply reply = waiting.get(25, TimeUnit.SECONDS);
        assertEquals(200, reply.status(), reply.body());
        assertEquals("ISSUED", api.json(reply.body()).get("status"));
        assertEquals(grantId, api.json(reply.body()).get("grantId"));
    }

    @Test
    void shouldAnswerTheWaitingWorkloadAtOnceWhenItsRequestIsNotOnItsWay() throws Exception {
        // given a denied request
        Request request = submit();
        send(Topics.ACCESS_DECISIONS.name(), request.id(), decision(request, DecisionOutcome.DENIED,
                List.of("no rule allows it"), NOW.plusSeconds(1)));
        awaitStatus(request, "DENIED");

        // when
        Reply reply = CompletableFuture.supplyAsync(
                () -> api.get("/v1/access-requests/" + request.id() + "?wait=30s", tokens.valid(DEPLOYER)))
                .get(25, TimeUnit.SECONDS);

        // then
        assertEquals(200, reply.status(), reply.body());
        assertEquals("DENIED", api.json(reply.body()).get("status"));
    }

    @Test
    void shouldAnswerWithThePendingEntryWhenTheWaitRunsOut() {
        // given a request nobody decides
        Request request = submit();

        // when
        Reply reply = api.get("/v1/access-requests/" + request.id() + "?wait=300ms", tokens.valid(DEPLOYER));

        // then
        assertEquals(200, reply.status(), reply.body());
        assertEquals("PENDING", api.json(reply.body()).get("status"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "31s", "-1s", "10m", "1.5s"})
    void shouldAnswer400NamingWaitWhenTheWaitIsNotADurationOfAtMost30Seconds(String wait) {
        // given
        Request request = submit();

        // when
        Reply reply = api.get("/v1/access-requests/" + request.id() + "?wait=" + wait, tokens.valid(DEPLOYER));

        // then
        assertEquals(400, reply.status(), reply.body());
        assertTrue(String.valueOf(api.json(reply.body()).get("message")).startsWith("wait:"), reply.body());
    }

    // ---- load shedding ----

    @Test
    void shouldAnswer503AndStoreNothingWhileTooManyRequestsAreOnTheirWayAndAcceptAgainOnceOneIsAnswered() throws SQLException {
        // given an instance that takes at most two requests on their way, and has two
        try (RunningService small = RunningService.start(infra, Map.of("JIT_INTAKE_MAX_BACKLOG", "2"), Map.of())) {
            Api smallApi = new Api(small);
            assertTrue(small.context().containsBean(InFlightLimit.class), "requests in flight are capped too");
            Request first = submit(smallApi, null);
            Request retried = submit(smallApi, "key-" + UUID.randomUUID());

            // when
            String refusedTask = "task-" + UUID.randomUUID();
            Reply refused = smallApi.post("/v1/access-requests", tokens.valid(DEPLOYER), requestBody(refusedTask, false));

            // then: refused as overloaded, nothing stored...
            assertEquals(503, refused.status(), refused.body());
            assertEquals("overloaded", api.json(refused.body()).get("error"));
            assertEquals(0, ledgerRows(refusedTask));
            // ... but a retry of an accepted request is still answered
            Reply replay = smallApi.post("/v1/access-requests", tokens.valid(DEPLOYER), requestBody(retried.taskId(), false),
                    Map.of("Idempotency-Key", retried.idempotencyKey()));
            assertEquals(202, replay.status(), replay.body());
            assertEquals(retried.id(), api.json(replay.body()).get("requestId"));

            // and when one of them is answered (denied), the next request is accepted
            send(Topics.ACCESS_DECISIONS.name(), first.id(), decision(first, DecisionOutcome.DENIED,
                    List.of("no rule allows it"), NOW.plusSeconds(1)));
            String laterTask = "task-" + UUID.randomUUID();
            await().atMost(Duration.ofSeconds(30)).until(
                    () -> smallApi.post("/v1/access-requests", tokens.valid(DEPLOYER), requestBody(laterTask, false)).status(),
                    status -> status == 202);
            assertEquals(1, ledgerRows(laterTask));
        }
    }

    private static Request submit() {
        return submit(false);
    }

    private static Request submit(Api to, String idempotencyKey) {
        String taskId = "task-" + UUID.randomUUID();
        Reply reply = to.post("/v1/access-requests", tokens.valid(DEPLOYER), requestBody(taskId, false),
                idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
        assertEquals(202, reply.status(), reply.body());
        return new Request((String) api.json(reply.body()).get("requestId"), DEPLOYER, taskId, idempotencyKey);
    }

    private static String requestBody(String taskId, boolean breakGlass) {
        return """
                {"taskId":"%s","environment":"prod","resources":[{"type":"postgres","id":"orders-db","actions":["read"]}],
                 "ttlSeconds":900,"justification":"nightly report, INC-12","breakGlass":%s}""".formatted(taskId, breakGlass);
    }

    private static int ledgerRows(String taskId) throws SQLException {
        try (Connection connection = DriverManager.getConnection(infra.postgres().jdbcUrl(RunningService.DATABASE),
                EmbeddedPostgresServer.USER, "");
             PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM access_request WHERE task_id = ?")) {
            query.setString(1, taskId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static Request submit(boolean breakGlass) {
        String taskId = "task-" + UUID.randomUUID();
        Reply reply = api.post("/v1/access-requests", tokens.valid(DEPLOYER), requestBody(taskId, breakGlass));
        assertEquals(202, reply.status(), reply.body());
        return new Request((String) api.json(reply.body()).get("requestId"), DEPLOYER, taskId, null);
    }

    private static Map<String, Object> read(Request request) {
        Reply reply = api.get("/v1/access-requests/" + request.id(), tokens.valid(request.workload()));
        assertEquals(200, reply.status(), reply.body());
        return api.json(reply.body());
    }

    private static Map<String, Object> awaitEnforced(Request request) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> read(request), entry -> entry.get("enforcedAt") != null);
    }

    private static Map<String, Object> awaitStatus(Request request, String status) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> read(request), entry -> status.equals(entry.get("status")));
    }

    /** Plays policy-service asking an SRE to decide. */
    private static void askForApproval(Request request, Instant deadline) {
        send(Topics.ACCESS_DECISIONS.name(), request.id(), Decisions.pendingApproval(request.id(), request.workload(),
                request.taskId(), deadline, NOW.plusSeconds(1)).build());
    }

    private static String storedReasons(Request request) throws SQLException {
        try (Connection connection = DriverManager.getConnection(infra.postgres().jdbcUrl(RunningService.DATABASE),
                EmbeddedPostgresServer.USER, "");
             PreparedStatement query = connection.prepareStatement(
                     "SELECT decision_reasons::text FROM access_request WHERE request_id = ?")) {
            query.setString(1, request.id());
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static AccessDecision decision(Request request, DecisionOutcome outcome, List<String> reasons, Instant at) {
        return Decisions.decision(request.id(), request.workload(), request.taskId(), outcome, reasons, at).build();
    }

    private static GrantIssued grant(Request request, String grantId, String workload, Instant at) {
        return GrantIssued.newBuilder()
                .setGrantId(grantId)
                .setRequestId(request.id())
                .setWorkloadId(workload)
                .setTaskId(request.taskId())
                .setEnvironment("prod")
                .setResources(List.of(Decisions.database()))
                .setCredentialType("jwt")
                .setCredentialId("jti-" + grantId)
                .setIssuedAt(at)
                .setExpiresAt(at.plusSeconds(600))
                .build();
    }

    private static Revocation revocation(Request request, String grantId, Instant at) {
        return Revocation.newBuilder()
                .setGrantId(grantId)
                .setRequestId(request.id())
                .setWorkloadId(request.workload())
                .setTaskId(request.taskId())
                .setEnvironment("prod")
                .setCredentialId("jti-" + grantId)
                .setReason(RevocationReason.TASK_COMPLETED)
                .setDetail("the task reported COMPLETED")
                .setExpiresAt(at.plusSeconds(599))
                .setRevokedAt(at)
                .build();
    }

    private static RevocationEnforced enforcement(Request request, String grantId, Instant at) {
        return RevocationEnforced.newBuilder()
                .setGrantId(grantId)
                .setRequestId(request.id())
                .setWorkloadId(request.workload())
                .setCredentialId("jti-" + grantId)
                .setReason(RevocationReason.TASK_COMPLETED)
                .setBackend("jwt-denylist")
                .setRevokedAt(at.minusSeconds(1))
                .setEnforcedAt(at)
                .build();
    }

    private static void send(String topic, String key, Object value) {
        try {
            events.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sendRaw(String topic, String key, byte[] value) {
        try {
            rawBytes.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
