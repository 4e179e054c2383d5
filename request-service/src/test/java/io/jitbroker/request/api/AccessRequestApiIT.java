package io.jitbroker.request.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.contracts.Topics;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.events.v1.AccessRequest;
import io.jitbroker.events.v1.Resource;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.events.v1.TaskEventType;
import io.jitbroker.request.metrics.RequestMetrics;
import io.jitbroker.request.support.Api;
import io.jitbroker.request.support.Api.Reply;
import io.jitbroker.request.support.RunningService;
import io.jitbroker.request.support.TopicProbe;
import io.jitbroker.testkit.Tokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The HTTP front door on real Kafka, registry, PostgreSQL and identity provider. */
class AccessRequestApiIT {

    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final String INTRUDER = "spiffe://dev.local/ci/intruder";
    private static final String SRE = "spiffe://dev.local/sre/alice";
    private static final String REQUESTS = "/v1/access-requests";
    /** The shape of an RFC 7638 SHA-256 thumbprint: 32 bytes, base64url without padding. */
    private static final String THUMBPRINT = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);

    private static Infrastructure infra;
    private static RunningService service;
    private static Api api;
    private static Tokens tokens;
    private static JsonMapper json;
    private static TopicProbe<AccessRequest> accessRequests;
    private static TopicProbe<TaskEvent> taskEvents;
    private static MeterRegistry meters;

    @BeforeAll
    static void start() {
        infra = Infrastructure.startForTests();
        infra.kafka().createTopics(Topics.newTopics(3, (short) 1));
        service = RunningService.start(infra,
                Map.of("JIT_SRE_WORKLOADS", SRE, "JIT_MAX_TTL_SECONDS", "3600", "JIT_ENVIRONMENTS", "dev,staging,prod"),
                Map.of());
        api = new Api(service);
        tokens = new Tokens(infra.identityProvider());
        json = service.context().getBean(JsonMapper.class);
        meters = service.context().getBean(MeterRegistry.class);
        accessRequests = TopicProbe.onTopic(infra, Topics.ACCESS_REQUESTS);
        taskEvents = TopicProbe.onTopic(infra, Topics.TASK_EVENTS);
    }

    @AfterAll
    static void stop() {
        // Clients and the service before the broker: a broker stopped first makes them wait for it.
        if (accessRequests != null) {
            accessRequests.close();
        }
        if (taskEvents != null) {
            taskEvents.close();
        }
        if (service != null) {
            service.close();
        }
        if (infra != null) {
            infra.close();
        }
    }

    @BeforeEach
    void forgetEarlierRecords() {
        accessRequests.skipToEnd();
        taskEvents.skipToEnd();
    }

    // ---- accepting a request ----

    @Test
    void shouldPublishTheRequestAsTheTokenSubjectWhenRequestIsValid() {
        // given
        String taskId = newTaskId();
        Instant before = Instant.now().minusSeconds(1);

        // when
        Reply reply = api.post(REQUESTS, tokens.valid(DEPLOYER), toJson(validBody(taskId)));

        // then
        assertEquals(202, reply.status(), reply.body());
        Map<String, Object> accepted = api.json(reply.body());
        String requestId = (String) accepted.get("requestId");
        assertEquals("PENDING", accepted.get("status"));
        List<ConsumerRecord<String, AccessRequest>> published = accessRequests.awaitRecord(r -> r.value().getRequestId().equals(requestId));
        assertEquals(1, published.size());
        AccessRequest event = published.get(0).value();
        assertEquals(requestId, event.getRequestId());
        assertEquals(DEPLOYER, event.getWorkloadId());
        assertEquals(DEPLOYER, published.get(0).key(), "keyed by workload: policy-service reads it without re-keying");
        assertEquals(taskId, event.getTaskId());
        assertEquals("prod", event.getEnvironment());
        assertEquals(List.of(Resource.newBuilder().setType("postgres").setId("orders-db").setActions(List.of("read", "write")).build()),
                event.getResources());
        assertEquals(900, event.getTtlSeconds());
        assertEquals("release 4.2 migration", event.getJustification());
        assertTrue(event.getRequestedAt().isAfter(before), event.getRequestedAt().toString());
        assertFalse(event.getBreakGlass());
        assertNull(event.getDpopJkt());
        assertEquals(Map.of(), event.getWorkloadClaims(), "a token with only registered claims gives none");
    }

    // ---- break-glass, DPoP binding, workload claims ----

    @Test
    void shouldPublishAndRecordBreakGlassWhenTheWorkloadDeclaresAnEmergency() {
        // given
        Map<String, Object> body = validBody(newTaskId());
        body.put("breakGlass", true);
        body.put("justification", "INC-311: orders-db is down, restoring from backup");
        double before = meters.counter(RequestMetrics.BREAK_GLASS_REQUESTS).count();

        // when
        Reply reply = api.post(REQUESTS, tokens.valid(DEPLOYER), toJson(body));

        // then it is on the event
        assertEquals(202, reply.status(), reply.body());
        String requestId = (String) api.json(reply.body()).get("requestId");
        AccessRequest event = accessRequests.awaitRecord(r -> r.value().getRequestId().equals(requestId)).get(0).value();
        assertTrue(event.getBreakGlass());
        assertEquals("INC-311: orders-db is down, restoring from backup", event.getJustification());
        // and in the ledger, standing out
        Map<String, Object> entry = api.json(api.get(REQUESTS + "/" + requestId, tokens.valid(DEPLOYER)).body());
        assertEquals(true, entry.get("breakGlass"));
        assertEquals(before + 1, meters.counter(RequestMetrics.BREAK_GLASS_REQUESTS).count());
    }

    @Test
    void shouldPublishAndRecordTheThumbprintWhenTheCredentialMustBeBoundToADpopKey() {
        // given
        Map<String, Object> body = validBody(newTaskId());
        body.put("dpopJkt", THUMBPRINT);

        // when
        Reply reply = api.post(REQUESTS, tokens.valid(DEPLOYER), toJson(body));

        // then
        assertEquals(202, reply.status(), reply.body());
        String requestId = (String) api.json(reply.body()).get("requestId");
        AccessRequest event = accessRequests.awaitRecord(r -> r.value().getRequestId().equals(requestId)).get(0).value();
        assertEquals(THUMBPRINT, event.getDpopJkt());
        Map<String, Object> entry = api.json(api.get(REQUESTS + "/" + requestId, tokens.valid(DEPLOYER)).body());
        assertEquals(THUMBPRINT, entry.get("dpopJkt"));
        assertEquals(false, entry.get("breakGlass"));
    }

    @Test
    void shouldCopyTheTokensOwnStringClaimsButNeverTheTokenWhenPublishing() {
        // given a token carrying claims of its own
        String token = tokens.withClaims(DEPLOYER, Map.of("environment", "prod", "repository", "acme/orders",
                "run_attempt", 3, "groups", List.of("deployers")));

        // when
        Reply reply = api.post(REQUESTS, token, toJson(validBody(newTaskId())));

        // then the string-valued, non-registered claims are on the event
        assertEquals(202, reply.status(), reply.body());
        String requestId = (String) api.json(reply.body()).get("requestId");
        AccessRequest event = accessRequests.awaitRecord(r -> r.value().getRequestId().equals(requestId)).get(0).value();
        assertEquals(Map.of("environment", "prod", "repository", "acme/orders"), event.getWorkloadClaims());
        // and no part of the token is
        String published = event.toString();
        for (String part : token.split("\\.")) {
            assertFalse(published.contains(part), "the event carries a part of the token: " + published);
        }
    }

    @Test
    void shouldAnswer409WhenTheIdempotencyKeyIsReusedWithAnotherBreakGlassOrDpopKey() {
        // given
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        Map<String, Object> body = validBody(newTaskId());
        body.put("justification", "INC-311: orders-db is down");
        Reply first = api.post(REQUESTS, tokens.valid(DEPLOYER), toJson(body), key);
        Map<String, Object> breakGlass = new HashMap<>(body);
        breakGlass.put("breakGlass", true);
        Map<String, Object> bound = new HashMap<>(body);
        bound.put("dpopJkt", THUMBPRINT);

        // when
        Reply sameAgain = api.post(REQUESTS, tokens.valid(DEPLOYER), toJson(body), key);
        Reply asBreakGlass = api.post(REQUESTS, tokens.valid(DEPLOYER), toJson(breakGlass), key);
        Reply asBound = api.post(REQUESTS, tokens.valid(DEPLOYER), toJson(bound), key);

        // then
        assertEquals(202, first.status(), first.body());
        assertEquals(202, sameAgain.status(), sameAgain.body());
        assertEquals(409, asBreakGlass.status(), asBreakGlass.body());
        assertEquals("idempotency_key_reused", api.json(asBreakGlass.body()).get("error"));
        assertEquals(409, asBound.status(), asBound.body());
        assertEquals(List.of((String) api.json(first.body()).get("requestId")), publishedBeforeAMarker());
    }

    @Test
    void shouldPublishAndRecordTheHeartbeatIntervalWhenOneIsAsked() {
        // given
        Map<String, Object> body = validBody(newTaskId());
        body.put("heartbeatIntervalSeconds", 30);

        // when
        Reply reply = api.post(REQUESTS, tokens.valid(DEPLOYER), toJson(body));

        // then it is on the event
        assertEquals(202, reply.status(), reply.body());
        String requestId = (String) api.json(reply.body()).get("requestId");
        AccessRequest event = accessRequests.awaitRecord(r -> r.value().getRequestId().equals(requestId)).get(0).value();
        assertEquals(30L, event.getHeartbeatIntervalSeconds());
        // and in the ledger
        Map<String, Object> entry = api.json(api.get(REQUESTS + "/" + requestId, tokens.valid(DEPLOYER)).body());
        assertEquals(30, ((Number) entry.get("heartbeatIntervalSeconds")).intValue());
    }

    @Test
    void shouldPublishNoHeartbeatIntervalWhenNoneIsAsked() {
        // when
        String requestId = submit(DEPLOYER, newTaskId());

        // then
        AccessRequest event = accessRequests.awaitRecord(r -> r.value().getRequestId().equals(requestId)).get(0).value();
        assertNull(event.getHeartbeatIntervalSeconds());
        Map<String, Object> entry = api.json(api.get(REQUESTS + "/" + requestId, tokens.valid(DEPLOYER)).body());
        assertTrue(entry.containsKey("heartbeatIntervalSeconds"));
        assertNull(entry.get("heartbeatIntervalSeconds"));
    }

    @Test
    void shouldShowThePendingEntryWhenTheRequestingWorkloadReadsIt() {
        // given
        String taskId = newTaskId();
        String requestId = submit(DEPLOYER, taskId);

        // when
        Reply reply = api.get(REQUESTS + "/" + requestId, tokens.valid(DEPLOYER));

        // then
        assertEquals(200, reply.status(), reply.body());
        Map<String, Object> entry = api.json(reply.body());
        assertEquals(requestId, entry.get("requestId"));
        assertEquals(DEPLOYER, entry.get("workloadId"));
        assertEquals(taskId, entry.get("taskId"));
        assertEquals("prod", entry.get("environment"));
        assertEquals(List.of(Map.of("type", "postgres", "id", "orders-db", "actions", List.of("read", "write"))), entry.get("resources"));
        assertEquals(900, ((Number) entry.get("ttlSeconds")).intValue());
        assertEquals("PENDING", entry.get("status"));
        assertNotNull(Instant.parse((String) entry.get("requestedAt")));
        assertTrue(entry.containsKey("decidedAt"), "unknown facts are shown as null");
        assertNull(entry.get("decidedAt"));
        assertNull(entry.get("grantId"));
    }

    // ---- rejecting a request: 400 naming the field, nothing published ----

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                invalid("workloadId in the body", "workloadId", b -> b.put("workloadId", INTRUDER)),
                invalid("unknown field", "priority", b -> b.put("priority", "high")),
                invalid("missing taskId", "taskId", b -> b.remove("taskId")),
                invalid("blank taskId", "taskId", b -> b.put("taskId", " ")),
                invalid("taskId with spaces", "taskId", b -> b.put("taskId", "deploy 42")),
                invalid("environment not configured", "environment", b -> b.put("environment", "qa")),
                invalid("missing resources", "resources", b -> b.remove("resources")),
                invalid("empty resources", "resources", b -> b.put("resources", List.of())),
                invalid("51 resources", "resources", b -> b.put("resources", IntStream.range(0, 51)
                        .mapToObj(i -> Map.of("type", "http", "id", "svc-" + i, "actions", List.of("get"))).toList())),
                invalid("blank resource type", "resources[0].type", b -> resource(b).put("type", " ")),
                invalid("blank resource id", "resources[0].id", b -> resource(b).put("id", "")),
                invalid("empty actions", "resources[0].actions", b -> resource(b).put("actions", List.of())),
                invalid("missing ttlSeconds", "ttlSeconds", b -> b.remove("ttlSeconds")),
                invalid("zero ttlSeconds", "ttlSeconds", b -> b.put("ttlSeconds", 0)),
                invalid("ttlSeconds over the configured maximum", "ttlSeconds", b -> b.put("ttlSeconds", 3601)),
                invalid("heartbeat under 5 seconds", "heartbeatIntervalSeconds", b -> b.put("heartbeatIntervalSeconds", 4)),
                invalid("heartbeat longer than the ttl", "heartbeatIntervalSeconds", b -> b.put("heartbeatIntervalSeconds", 901)),
                invalid("heartbeat as text", "heartbeatIntervalSeconds", b -> b.put("heartbeatIntervalSeconds", "30")),
                invalid("missing justification", "justification", b -> b.remove("justification")),
                invalid("blank justification", "justification", b -> b.put("justification", "  ")),
                invalid("justification over 1000 characters", "justification", b -> b.put("justification", "x".repeat(1001))),
                invalid("breakGlass as text", "breakGlass", b -> b.put("breakGlass", "true")),
                invalid("break-glass with a 9-character justification", "justification", b -> {
                    b.put("breakGlass", true);
                    b.put("justification", "prod down");
                }),
                invalid("dpopJkt too short", "dpopJkt", b -> b.put("dpopJkt", THUMBPRINT.substring(1))),
                invalid("dpopJkt with padding", "dpopJkt", b -> b.put("dpopJkt", THUMBPRINT + "=")));
    }

    private static Arguments invalid(String what, String field, Consumer<Map<String, Object>> breakIt) {
        return Arguments.of(what, field, breakIt);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void shouldAnswer400NamingTheFieldAndPublishNothingWhenBodyBreaksARule(String what, String field,
                                                                           Consumer<Map<String, Object>> breakIt) {
        // given
        Map<String, Object> body = validBody(newTaskId());
        breakIt.accept(body);
        double rejectedBefore = rejected();

        // when
        Reply reply = api.post(REQUESTS, tokens.valid(DEPLOYER), toJson(body));

        // then
        assertEquals(400, reply.status(), reply.body());
        Map<String, Object> error = api.json(reply.body());
        assertEquals("invalid_request", error.get("error"));
        assertTrue(((String) error.get("message")).contains(field), () -> what + ": " + error.get("message"));
        assertEquals(rejectedBefore + 1, rejected(), "counted once as rejected, however early the body was refused");
        assertNothingPublishedBeforeAMarker();
    }

    @Test
    void shouldAnswer400AndPublishNothingWhenBodyIsNotJson() {
        // given
        double rejectedBefore = rejected();

        // when
        Reply reply = api.post(REQUESTS, tokens.valid(DEPLOYER), "{\"taskId\": \"t-1\", ");

        // then
        assertEquals(400, reply.status(), reply.body());
        assertEquals(Map.of("error", "malformed_json", "message", "the request body is not valid JSON"), api.json(reply.body()));
        assertEquals(rejectedBefore + 1, rejected());
        assertNothingPublishedBeforeAMarker();
    }

    @Test
    void shouldAnswer400MalformedJsonWhenTheBodyIsEmpty() {
        // when
        Reply reply = api.post(REQUESTS, tokens.valid(DEPLOYER), "");

        // then
        assertEquals(400, reply.status(), reply.body());
        assertEquals("malformed_json", api.json(reply.body()).get("error"), reply.body());
        assertNothingPublishedBeforeAMarker();
    }

    private static double rejected() {
        return meters.counter(RequestMetrics.REQUESTS, "outcome", "rejected").count();
    }

    // ---- authentication: 401 with a JSON body, nothing published ----

    static Stream<Arguments> unacceptableTokens() {
        return Stream.of(
                token("missing", t -> null),
                token("expired", t -> t.expired(DEPLOYER)),
                token("wrongly signed", t -> t.wronglySigned(DEPLOYER)),
                token("for another audience", t -> t.forAudience(DEPLOYER, "another-service")),
                token("from another issuer", t -> t.fromIssuer(DEPLOYER, "http://127.0.0.1:1/evil")),
                token("subject not a SPIFFE ID", t -> t.withSubject("deployer")),
                token("without expiry", t -> t.withoutExpiry(DEPLOYER)),
                token("not a JWT", t -> "not-a-jwt"));
    }

    private static Arguments token(String what, Function<Tokens, String> token) {
        return Arguments.of(what, token);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unacceptableTokens")
    void shouldAnswer401AndPublishNothingWhenTokenIsNotAcceptable(String what, Function<Tokens, String> token) {
        // when
        Reply reply = api.post(REQUESTS, token.apply(tokens), toJson(validBody(newTaskId())));

        // then
        assertEquals(401, reply.status(), what + ": " + reply.body());
        assertEquals("unauthorized", api.json(reply.body()).get("error"));
        assertEquals("Bearer", reply.wwwAuthenticate());
        assertNothingPublishedBeforeAMarker();
    }

    @Test
    void shouldAnswer401WhenReadingWithoutAToken() {
        // when
        Reply reply = api.get(REQUESTS + "/" + UUID.randomUUID(), null);

        // then
        assertEquals(401, reply.status());
        assertEquals("unauthorized", api.json(reply.body()).get("error"));
    }

    // ---- idempotency ----

    @Test
    void shouldReturnTheSameRequestAndPublishOnceWhenRetriedWithTheSameIdempotencyKey() {
        // given
        String body = toJson(validBody(newTaskId()));
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        Reply first = api.post(REQUESTS, tokens.valid(DEPLOYER), body, key);

        // when
        Reply retry = api.post(REQUESTS, tokens.valid(DEPLOYER), body, key);

        // then
        assertEquals(202, first.status(), first.body());
        assertEquals(202, retry.status(), retry.body());
        String requestId = (String) api.json(first.body()).get("requestId");
        assertEquals(requestId, api.json(retry.body()).get("requestId"));
        assertEquals(List.of(requestId), publishedBeforeAMarker());
    }

    @Test
    void shouldAnswer409WhenTheIdempotencyKeyWasUsedForAnotherRequest() {
        // given
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        Reply first = api.post(REQUESTS, tokens.valid(DEPLOYER), toJson(validBody(newTaskId())), key);

        // when
        Reply other = api.post(REQUESTS, tokens.valid(DEPLOYER), toJson(validBody(newTaskId())), key);

        // then
        assertEquals(202, first.status(), first.body());
        assertEquals(409, other.status(), other.body());
        assertEquals("idempotency_key_reused", api.json(other.body()).get("error"));
        assertEquals(List.of((String) api.json(first.body()).get("requestId")), publishedBeforeAMarker());
    }

    @Test
    void shouldKeepKeysApartWhenTwoWorkloadsUseTheSameIdempotencyKey() {
        // given
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        String body = toJson(validBody(newTaskId()));

        // when
        Reply deployer = api.post(REQUESTS, tokens.valid(DEPLOYER), body, key);
        Reply intruder = api.post(REQUESTS, tokens.valid(INTRUDER), body, key);

        // then
        assertEquals(202, deployer.status(), deployer.body());
        assertEquals(202, intruder.status(), intruder.body());
        assertNotEquals(api.json(deployer.body()).get("requestId"), api.json(intruder.body()).get("requestId"));
    }

    @Test
    void shouldPublishOnceWhenConcurrentRetriesShareAnIdempotencyKey() throws Exception {
        // given
        String body = toJson(validBody(newTaskId()));
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        String token = tokens.valid(DEPLOYER);
        List<Callable<Reply>> retries = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            retries.add(() -> api.post(REQUESTS, token, body, key));
        }

        // when
        List<Reply> replies = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (Future<Reply> reply : pool.invokeAll(retries)) {
                replies.add(reply.get());
            }
        } finally {
            pool.shutdownNow();
        }

        // then
        replies.forEach(reply -> assertEquals(202, reply.status(), reply.body()));
        Set<Object> requestIds = replies.stream().map(r -> api.json(r.body()).get("requestId")).collect(Collectors.toSet());
        assertEquals(1, requestIds.size(), requestIds.toString());
        assertEquals(List.copyOf(requestIds), publishedBeforeAMarker());
    }

    // ---- publish failure: 503, the row rolled back ----

    @Test
    void shouldAnswer202AndPublishOnceFromTheOutboxWhenKafkaRefusedTheRecordAtFirst() throws SQLException {
        // given a second instance whose outbox relay cannot publish anything (a record larger than it may send)
        String taskId = newTaskId();
        Reply reply;
        try (RunningService refusing = RunningService.start(infra, Map.of(),
                Map.of("kafka.producers.outbox.max.request.size", "64"))) {

            // when
            reply = new Api(refusing).post(REQUESTS, tokens.valid(DEPLOYER), toJson(validBody(taskId)), Map.of());
        }

        // then the workload has its answer: the request is stored, its event waits in the outbox...
        assertEquals(202, reply.status(), reply.body());
        assertEquals(1, ledgerRowsForTask(taskId));
        // ... and a relay that can publish does so, once, before what was accepted after it
        String requestId = String.valueOf(api.json(reply.body()).get("requestId"));
        assertEquals(List.of(requestId), publishedBeforeAMarker());
    }

    // ---- reading the ledger ----

    @Test
    void shouldAnswer403WhenAnotherWorkloadReadsTheRequest() {
        // given
        String requestId = submit(DEPLOYER, newTaskId());

        // when
        Reply reply = api.get(REQUESTS + "/" + requestId, tokens.valid(INTRUDER));

        // then
        assertEquals(403, reply.status(), reply.body());
        assertEquals("forbidden", api.json(reply.body()).get("error"));
    }

    @Test
    void shouldShowTheEntryWhenAnSreReadsIt() {
        // given
        String requestId = submit(DEPLOYER, newTaskId());

        // when
        Reply reply = api.get(REQUESTS + "/" + requestId, tokens.valid(SRE));

        // then
        assertEquals(200, reply.status(), reply.body());
        assertEquals(DEPLOYER, api.json(reply.body()).get("workloadId"));
    }

    @Test
    void shouldAnswer404WhenTheRequestIsUnknown() {
        // when
        Reply reply = api.get(REQUESTS + "/" + UUID.randomUUID(), tokens.valid(DEPLOYER));

        // then
        assertEquals(404, reply.status(), reply.body());
        assertEquals("not_found", api.json(reply.body()).get("error"));
    }

    // ---- task events ----

    @Test
    void shouldPublishTheTaskEventWhenTheOwningWorkloadReportsIt() {
        // given
        String taskId = newTaskId();
        submit(DEPLOYER, taskId);

        // when
        Reply reply = api.post("/v1/tasks/" + taskId + "/events", tokens.valid(DEPLOYER), "{\"type\":\"COMPLETED\"}");

        // then
        assertEquals(202, reply.status(), reply.body());
        String eventId = (String) api.json(reply.body()).get("eventId");
        List<ConsumerRecord<String, TaskEvent>> published = taskEvents.awaitRecord(r -> r.value().getEventId().equals(eventId));
        assertEquals(1, published.size());
        assertEquals(taskId, published.get(0).key());
        TaskEvent event = published.get(0).value();
        assertEquals(taskId, event.getTaskId());
        assertEquals(DEPLOYER, event.getWorkloadId());
        assertEquals(TaskEventType.COMPLETED, event.getType());
        assertNotNull(event.getOccurredAt());
    }

    @Test
    void shouldAnswer403AndPublishNothingWhenAnotherWorkloadReportsOnTheTask() {
        // given
        String taskId = newTaskId();
        submit(DEPLOYER, taskId);

        // when
        Reply reply = api.post("/v1/tasks/" + taskId + "/events", tokens.valid(INTRUDER), "{\"type\":\"FAILED\"}");

        // then
        assertEquals(403, reply.status(), reply.body());
        assertEquals("forbidden", api.json(reply.body()).get("error"));
        Reply marker = api.post("/v1/tasks/" + taskId + "/events", tokens.valid(DEPLOYER), "{\"type\":\"HEARTBEAT\"}");
        String markerId = (String) api.json(marker.body()).get("eventId");
        List<ConsumerRecord<String, TaskEvent>> published = taskEvents.awaitRecord(r -> r.value().getEventId().equals(markerId));
        assertEquals(List.of(markerId), published.stream().map(r -> r.value().getEventId()).toList());
    }

    @Test
    void shouldAnswer404WhenNobodyRequestedAccessForTheTask() {
        // when
        Reply reply = api.post("/v1/tasks/" + newTaskId() + "/events", tokens.valid(DEPLOYER), "{\"type\":\"STARTED\"}");

        // then
        assertEquals(404, reply.status(), reply.body());
        assertEquals("not_found", api.json(reply.body()).get("error"));
    }

    @Test
    void shouldAnswer400ListingTheAllowedTypesWhenTheEventTypeIsInvalid() {
        // given
        String taskId = newTaskId();
        submit(DEPLOYER, taskId);

        // when
        Reply reply = api.post("/v1/tasks/" + taskId + "/events", tokens.valid(DEPLOYER), "{\"type\":\"PAUSED\"}");

        // then
        assertEquals(400, reply.status(), reply.body());
        assertEquals(Map.of("error", "invalid_request",
                        "message", "type is not valid; allowed values are STARTED, HEARTBEAT, COMPLETED, FAILED, CANCELLED"),
                api.json(reply.body()));
    }

    // ---- operations ----

    @Test
    void shouldServeHealthAndMetricsWithoutAToken() {
        // given
        submit(DEPLOYER, newTaskId());

        // when
        // A health probe is a point in time: on a loaded machine, wait for UP.
        Reply health = Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> api.get("/health", null), r -> r.status() == 200);
        String metrics = service.http().retrieve(HttpRequest.GET("/prometheus").accept(MediaType.TEXT_PLAIN_TYPE), String.class);

        // then
        assertEquals(200, health.status(), health.body());
        assertEquals("UP", api.json(health.body()).get("status"));
        assertTrue(metrics.contains("jit_requests_total{outcome=\"accepted\"}"), metrics);
    }

    @Test
    void shouldNotServeOtherManagementEndpointsWhenAsked() {
        // when
        Reply reply = api.get("/env", tokens.valid(SRE));

        // then
        assertEquals(404, reply.status(), reply.body());
        assertEquals("not_found", api.json(reply.body()).get("error"));
    }

    @Test
    void shouldAnswer415InTheErrorFormatWhenTheBodyIsNotDeclaredJson() {
        // when
        Reply reply = api.exchange(HttpRequest.POST(REQUESTS, "taskId=t-1")
                .contentType(MediaType.TEXT_PLAIN_TYPE)
                .bearerAuth(tokens.valid(DEPLOYER)));

        // then
        assertEquals(415, reply.status(), reply.body());
        assertEquals("unsupported_media_type", api.json(reply.body()).get("error"));
        assertNothingPublishedBeforeAMarker();
    }

    // ---- helpers ----

    private static String newTaskId() {
        return "task-" + UUID.randomUUID();
    }

    private static Map<String, Object> validBody(String taskId) {
        Map<String, Object> resource = new HashMap<>();
        resource.put("type", "postgres");
        resource.put("id", "orders-db");
        resource.put("actions", List.of("write", "read"));
        Map<String, Object> body = new HashMap<>();
        body.put("taskId", taskId);
        body.put("environment", "prod");
        body.put("resources", new ArrayList<>(List.of(resource)));
        body.put("ttlSeconds", 900);
        body.put("justification", "release 4.2 migration");
        return body;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resource(Map<String, Object> body) {
        return ((List<Map<String, Object>>) body.get("resources")).get(0);
    }

    private static String toJson(Map<String, Object> body) {
        try {
            return json.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String submit(String workload, String taskId) {
        Reply reply = api.post(REQUESTS, tokens.valid(workload), toJson(validBody(taskId)));
        assertEquals(202, reply.status(), reply.body());
        return (String) api.json(reply.body()).get("requestId");
    }

    /**
     * Sends a valid marker request and returns the ids of every other request of {@link #DEPLOYER}
     * published before it. Requests are keyed by workload: another workload's sit on another
     * partition, whose order against the marker is not defined, so they are not counted.
     */
    private static List<String> publishedBeforeAMarker() {
        String marker = submit(DEPLOYER, newTaskId());
        return accessRequests.awaitRecord(r -> r.value().getRequestId().equals(marker)).stream()
                .filter(r -> DEPLOYER.equals(r.key()))
                .map(r -> r.value().getRequestId())
                .filter(id -> !id.equals(marker))
                .toList();
    }

    private static void assertNothingPublishedBeforeAMarker() {
        assertEquals(List.of(), publishedBeforeAMarker());
    }

    private static int ledgerRowsForTask(String taskId) throws SQLException {
        try (Connection connection = DriverManager.getConnection(infra.postgres().jdbcUrl(RunningService.DATABASE), "postgres", "");
             PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM access_request WHERE task_id = ?")) {
            query.setString(1, taskId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
