package io.jitbroker.request.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.contracts.Topics;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.ContextEventType;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Resource;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.RevocationScope;
import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.request.metrics.RequestMetrics;
import io.jitbroker.request.support.Api;
import io.jitbroker.request.support.Api.Reply;
import io.jitbroker.request.support.Closing;
import io.jitbroker.request.support.LogCapture;
import io.jitbroker.request.support.RunningService;
import io.jitbroker.request.support.TopicProbe;
import io.jitbroker.testkit.Tokens;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What detectors and SREs may do to other workloads' grants, on real Kafka, registry, PostgreSQL and identity provider. */
class OperatorApiIT {

    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final String BUILDER = "spiffe://dev.local/ci/builder";
    private static final String DETECTOR = "spiffe://dev.local/security/edr";
    private static final String SRE = "spiffe://dev.local/sre/alice";
    private static final String CONTEXT_EVENTS = "/v1/context-events";
    private static final String REVOCATIONS = "/v1/revocations";

    private static Infrastructure infra;
    private static RunningService service;
    private static Api api;
    private static LogCapture audit;
    private static Tokens tokens;
    private static MeterRegistry meters;
    private static Producer<String, Object> events;
    private static TopicProbe<ContextEvent> contextEvents;
    private static TopicProbe<RevocationRequest> revocationRequests;

    @BeforeAll
    static void start() {
        infra = Infrastructure.startForTests();
        infra.kafka().createTopics(Topics.newTopics(3, (short) 1));
        service = RunningService.start(infra,
                Map.of("JIT_SRE_WORKLOADS", SRE, "JIT_DETECTOR_WORKLOADS", DETECTOR, "JIT_ENVIRONMENTS", "dev,staging,prod"),
                Map.of());
        api = new Api(service);
        tokens = new Tokens(infra.identityProvider());
        meters = service.context().getBean(MeterRegistry.class);
        Map<String, Object> config = new RegistrySerdes(infra.registry().nativeApiUrl()).producerConfig();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        events = new KafkaProducer<>(config);
        contextEvents = TopicProbe.onTopic(infra, Topics.CONTEXT_EVENTS);
        revocationRequests = TopicProbe.onTopic(infra, Topics.REVOCATION_REQUESTS);
        audit = LogCapture.attach("jit.audit");
    }

    @AfterAll
    static void stop() {
        Closing.inOrder(audit, contextEvents, revocationRequests, events, service, infra);
    }

    @BeforeEach
    void forgetEarlierRecords() {
        contextEvents.skipToEnd();
        revocationRequests.skipToEnd();
        audit.clear();
    }

    // ---- context events ----

    @Test
    void shouldPublishTheContextEventWithTheDetectorAsSourceWhenADetectorReportsIt() {
        // given
        String token = tokens.valid(DETECTOR);
        double before = counter(RequestMetrics.CONTEXT_EVENTS, "type", "WORKLOAD_COMPROMISED");
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        // when
        Reply reply = api.post(CONTEXT_EVENTS, token, """
                {"workloadId":"%s","type":"WORKLOAD_COMPROMISED","environment":"prod",
                 "reason":"EDR flagged a reverse shell on runner 12"}""".formatted(DEPLOYER));

        // then
        assertEquals(202, reply.status(), reply.body());
        String eventId = (String) api.json(reply.body()).get("eventId");
        List<ConsumerRecord<String, ContextEvent>> published = contextEvents.awaitRecord(r -> r.value().getEventId().equals(eventId));
        assertEquals(1, published.size());
        assertEquals(DEPLOYER, published.get(0).key());
        ContextEvent event = published.get(0).value();
        assertEquals(DEPLOYER, event.getWorkloadId());
        assertEquals(ContextEventType.WORKLOAD_COMPROMISED, event.getType());
        assertEquals("prod", event.getEnvironment());
        assertEquals("EDR flagged a reverse shell on runner 12", event.getReason());
        assertEquals(DETECTOR, event.getSource());
        assertFalse(event.getOccurredAt().isBefore(start), event.getOccurredAt().toString());
        assertEquals(before + 1, counter(RequestMetrics.CONTEXT_EVENTS, "type", "WORKLOAD_COMPROMISED"));
        // and the audit log says who, about whom and why, without the token
        String line = audit.lineFor(eventId);
        assertTrue(line.contains(DETECTOR) && line.contains(DEPLOYER)
                && line.contains("EDR flagged a reverse shell on runner 12"), line);
        assertFalse(line.contains(token), line);
    }

    @Test
    void shouldPublishForEveryEnvironmentWithTheSreAsSourceWhenAnSreReportsIt() {
        // when
        Reply reply = api.post(CONTEXT_EVENTS, tokens.valid(SRE), """
                {"workloadId":"%s","type":"IDENTITY_DISABLED","reason":"service account deleted"}""".formatted(BUILDER));

        // then
        assertEquals(202, reply.status(), reply.body());
        String eventId = (String) api.json(reply.body()).get("eventId");
        ContextEvent event = contextEvents.awaitRecord(r -> r.value().getEventId().equals(eventId)).get(0).value();
        assertEquals(SRE, event.getSource());
        assertEquals(BUILDER, event.getWorkloadId());
        assertEquals(ContextEventType.IDENTITY_DISABLED, event.getType());
        assertNull(event.getEnvironment());
    }

    @Test
    void shouldAnswer403AndPublishNothingWhenAPlainWorkloadReportsAContextEvent() {
        // when
        Reply reply = api.post(CONTEXT_EVENTS, tokens.valid(DEPLOYER), """
                {"workloadId":"%s","type":"RISK_RAISED","reason":"I do not like builder"}""".formatted(BUILDER));

        // then
        assertEquals(403, reply.status(), reply.body());
        assertEquals("forbidden", api.json(reply.body()).get("error"));
        assertEquals(List.of(), contextEventsBeforeAMarker());
    }

    @Test
    void shouldAnswer403AndPublishNothingWhenADetectorClearsAWorkload() {
        // when a detector, who may raise, tries to clear
        Reply reply = api.post(CONTEXT_EVENTS, tokens.valid(DETECTOR), """
                {"workloadId":"%s","type":"WORKLOAD_CLEARED","reason":"looks fine to me"}""".formatted(DEPLOYER));

        // then
        assertEquals(403, reply.status(), reply.body());
        Map<String, Object> error = api.json(reply.body());
        assertEquals("forbidden", error.get("error"));
        assertTrue(((String) error.get("message")).contains("only a human clears"), reply.body());
        assertEquals(List.of(), contextEventsBeforeAMarker());
    }

    @Test
    void shouldPublishTheClearingWithTheSreAsSourceWhenAnSreClearsAWorkload() {
        // when
        Reply reply = api.post(CONTEXT_EVENTS, tokens.valid(SRE), """
                {"workloadId":"%s","type":"WORKLOAD_CLEARED","reason":"INC-4711 closed: runner 12 reimaged"}""".formatted(DEPLOYER));

        // then
        assertEquals(202, reply.status(), reply.body());
        String eventId = (String) api.json(reply.body()).get("eventId");
        ContextEvent event = contextEvents.awaitRecord(r -> r.value().getEventId().equals(eventId)).get(0).value();
        assertEquals(ContextEventType.WORKLOAD_CLEARED, event.getType());
        assertEquals(DEPLOYER, event.getWorkloadId());
        assertEquals(SRE, event.getSource());
        assertEquals("INC-4711 closed: runner 12 reimaged", event.getReason());
    }

    @Test
    void shouldAnswer401AndPublishNothingWhenAContextEventComesWithoutAToken() {
        // when
        Reply reply = api.post(CONTEXT_EVENTS, null, """
                {"workloadId":"%s","type":"RISK_RAISED","reason":"anonymous tip"}""".formatted(BUILDER));

        // then
        assertEquals(401, reply.status(), reply.body());
        assertEquals("unauthorized", api.json(reply.body()).get("error"));
        assertEquals(List.of(), contextEventsBeforeAMarker());
    }

    static Stream<Arguments> invalidContextEvents() {
        return Stream.of(
                Arguments.of("bad type", "type",
                        "{\"workloadId\":\"" + DEPLOYER + "\",\"type\":\"HACKED\",\"reason\":\"r\"}"),
                Arguments.of("workloadId not a SPIFFE ID", "workloadId",
                        "{\"workloadId\":\"deployer\",\"type\":\"RISK_RAISED\",\"reason\":\"r\"}"),
                Arguments.of("missing reason", "reason",
                        "{\"workloadId\":\"" + DEPLOYER + "\",\"type\":\"RISK_RAISED\"}"),
                Arguments.of("unknown environment", "environment",
                        "{\"workloadId\":\"" + DEPLOYER + "\",\"type\":\"ENVIRONMENT_CHANGED\",\"environment\":\"qa\",\"reason\":\"r\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidContextEvents")
    void shouldAnswer400NamingTheFieldAndPublishNothingWhenAContextEventBreaksARule(String what, String field, String body) {
        // when
        Reply reply = api.post(CONTEXT_EVENTS, tokens.valid(DETECTOR), body);

        // then
        assertEquals(400, reply.status(), reply.body());
        Map<String, Object> error = api.json(reply.body());
        assertEquals("invalid_request", error.get("error"));
        assertTrue(((String) error.get("message")).contains(field), () -> what + ": " + error.get("message"));
        assertEquals(List.of(), contextEventsBeforeAMarker());
    }

    // ---- manual revocations ----

    @Test
    void shouldAskToRevokeTheGrantOfItsWorkloadAndTaskWhenAnSreRevokesAGrant() {
        // given a grant the ledger knows
        String taskId = newTaskId();
        String requestId = submit(DEPLOYER, taskId);
        String grantId = UUID.randomUUID().toString();
        issue(requestId, DEPLOYER, taskId, grantId);
        String token = tokens.valid(SRE);
        double before = counter(RequestMetrics.MANUAL_REVOCATIONS, "scope", "GRANT");

        // when
        Reply reply = api.post(REVOCATIONS, token, """
                {"scope":"GRANT","grantId":"%s","reason":"INC-4711: credential seen in a public log"}""".formatted(grantId));

        // then
        assertEquals(202, reply.status(), reply.body());
        Map<String, Object> accepted = api.json(reply.body());
        String eventId = (String) accepted.get("eventId");
        assertEquals("GRANT", accepted.get("scope"));
        assertEquals(DEPLOYER, accepted.get("workloadId"));
        assertEquals(taskId, accepted.get("taskId"));
        assertEquals(grantId, accepted.get("grantId"));
        ConsumerRecord<String, RevocationRequest> record = awaitRevocationRequest(eventId);
        assertEquals(DEPLOYER, record.key());
        RevocationRequest request = record.value();
        assertEquals(RevocationScope.GRANT, request.getScope());
        assertEquals(DEPLOYER, request.getWorkloadId());
        assertEquals(taskId, request.getTaskId());
        assertEquals(grantId, request.getGrantId());
        assertEquals(RevocationReason.MANUAL, request.getReason());
        assertEquals("INC-4711: credential seen in a public log", request.getDetail());
        assertEquals(SRE, request.getRequestedBy());
        assertNotNull(request.getRequestedAt());
        assertEquals(before + 1, counter(RequestMetrics.MANUAL_REVOCATIONS, "scope", "GRANT"));
        String line = audit.lineFor(eventId);
        assertTrue(line.contains(SRE) && line.contains(grantId) && line.contains(DEPLOYER)
                && line.contains("INC-4711: credential seen in a public log"), line);
        assertFalse(line.contains(token), line);
    }

    @Test
    void shouldAskToRevokeEveryGrantOfTheTaskWhenAnSreRevokesATask() {
        // given
        String taskId = newTaskId();
        submit(DEPLOYER, taskId);

        // when
        Reply reply = api.post(REVOCATIONS, tokens.valid(SRE), """
                {"scope":"TASK","taskId":"%s","reason":"runaway migration"}""".formatted(taskId));

        // then
        assertEquals(202, reply.status(), reply.body());
        ConsumerRecord<String, RevocationRequest> record = awaitRevocationRequest((String) api.json(reply.body()).get("eventId"));
        assertEquals(DEPLOYER, record.key());
        RevocationRequest request = record.value();
        assertEquals(RevocationScope.TASK, request.getScope());
        assertEquals(DEPLOYER, request.getWorkloadId());
        assertEquals(taskId, request.getTaskId());
        assertNull(request.getGrantId());
        assertEquals(RevocationReason.MANUAL, request.getReason());
        assertEquals("runaway migration", request.getDetail());
        assertEquals(SRE, request.getRequestedBy());
    }

    @Test
    void shouldAnswer409UnlessAWorkloadIsNamedWhenSeveralWorkloadsUsedTheTaskId() {
        // given
        String taskId = newTaskId();
        submit(DEPLOYER, taskId);
        submit(BUILDER, taskId);

        // when
        Reply ambiguous = api.post(REVOCATIONS, tokens.valid(SRE), """
                {"scope":"TASK","taskId":"%s","reason":"runaway"}""".formatted(taskId));
        Reply named = api.post(REVOCATIONS, tokens.valid(SRE), """
                {"scope":"TASK","taskId":"%s","workloadId":"%s","reason":"runaway"}""".formatted(taskId, BUILDER));

        // then
        assertEquals(409, ambiguous.status(), ambiguous.body());
        assertEquals("ambiguous_target", api.json(ambiguous.body()).get("error"));
        assertEquals(202, named.status(), named.body());
        List<ConsumerRecord<String, RevocationRequest>> published =
                revocationRequests.awaitRecord(r -> r.value().getEventId().equals(api.json(named.body()).get("eventId")));
        assertEquals(1, published.size());
        assertEquals(BUILDER, published.get(0).key());
        assertEquals(taskId, published.get(0).value().getTaskId());
    }

    @Test
    void shouldAskToRevokeEveryGrantOfTheWorkloadWhenAnSreRevokesAWorkload() {
        // when
        Reply reply = api.post(REVOCATIONS, tokens.valid(SRE), """
                {"scope":"WORKLOAD","workloadId":"%s","reason":"decommissioned"}""".formatted(BUILDER));

        // then
        assertEquals(202, reply.status(), reply.body());
        Map<String, Object> accepted = api.json(reply.body());
        assertEquals("WORKLOAD", accepted.get("scope"));
        assertEquals(BUILDER, accepted.get("workloadId"));
        ConsumerRecord<String, RevocationRequest> record = awaitRevocationRequest((String) accepted.get("eventId"));
        assertEquals(BUILDER, record.key());
        RevocationRequest request = record.value();
        assertEquals(RevocationScope.WORKLOAD, request.getScope());
        assertEquals(BUILDER, request.getWorkloadId());
        assertNull(request.getTaskId());
        assertNull(request.getGrantId());
        assertEquals(RevocationReason.MANUAL, request.getReason());
        assertEquals("decommissioned", request.getDetail());
        assertEquals(SRE, request.getRequestedBy());
    }

    static Stream<Arguments> nonSres() {
        return Stream.of(Arguments.of("a plain workload", DEPLOYER), Arguments.of("a detector", DETECTOR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonSres")
    void shouldAnswer403AndPublishNothingWhenSomeoneOtherThanAnSreRevokes(String who, String caller) {
        // when
        Reply reply = api.post(REVOCATIONS, tokens.valid(caller), """
                {"scope":"WORKLOAD","workloadId":"%s","reason":"because"}""".formatted(BUILDER));

        // then
        assertEquals(403, reply.status(), who + ": " + reply.body());
        assertEquals("forbidden", api.json(reply.body()).get("error"));
        assertEquals(List.of(), revocationRequestsBeforeAMarker());
    }

    @Test
    void shouldAnswer404AndPublishNothingWhenTheGrantIsUnknown() {
        // when
        Reply reply = api.post(REVOCATIONS, tokens.valid(SRE), """
                {"scope":"GRANT","grantId":"%s","reason":"INC-1"}""".formatted(UUID.randomUUID()));

        // then
        assertEquals(404, reply.status(), reply.body());
        assertEquals("not_found", api.json(reply.body()).get("error"));
        assertEquals(List.of(), revocationRequestsBeforeAMarker());
    }

    @Test
    void shouldAnswer404WhenTheTaskIsUnknown() {
        // when
        Reply reply = api.post(REVOCATIONS, tokens.valid(SRE), """
                {"scope":"TASK","taskId":"%s","reason":"INC-1"}""".formatted(newTaskId()));

        // then
        assertEquals(404, reply.status(), reply.body());
        assertEquals("not_found", api.json(reply.body()).get("error"));
    }

    static Stream<Arguments> invalidRevocations() {
        return Stream.of(
                Arguments.of("unknown scope", "scope", "{\"scope\":\"ALL\",\"reason\":\"r\"}"),
                Arguments.of("workloadId not a SPIFFE ID", "workloadId",
                        "{\"scope\":\"WORKLOAD\",\"workloadId\":\"builder\",\"reason\":\"r\"}"),
                Arguments.of("missing reason", "reason", "{\"scope\":\"WORKLOAD\",\"workloadId\":\"" + BUILDER + "\"}"),
                Arguments.of("reason over 500 characters", "reason",
                        "{\"scope\":\"WORKLOAD\",\"workloadId\":\"" + BUILDER + "\",\"reason\":\"" + "r".repeat(501) + "\"}"),
                Arguments.of("grantId with scope TASK", "grantId",
                        "{\"scope\":\"TASK\",\"taskId\":\"t-1\",\"grantId\":\"g-1\",\"reason\":\"r\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRevocations")
    void shouldAnswer400NamingTheFieldAndPublishNothingWhenARevocationBreaksARule(String what, String field, String body) {
        // when
        Reply reply = api.post(REVOCATIONS, tokens.valid(SRE), body);

        // then
        assertEquals(400, reply.status(), reply.body());
        Map<String, Object> error = api.json(reply.body());
        assertEquals("invalid_request", error.get("error"));
        assertTrue(((String) error.get("message")).contains(field), () -> what + ": " + error.get("message"));
        assertEquals(List.of(), revocationRequestsBeforeAMarker());
    }

    @Test
    void shouldExposeTheNewCountersWhenScraped() {
        // given
        api.post(CONTEXT_EVENTS, tokens.valid(DETECTOR), """
                {"workloadId":"%s","type":"RISK_RAISED","reason":"impossible travel"}""".formatted(BUILDER));

        // when
        String metrics = service.http().retrieve(io.micronaut.http.HttpRequest.GET("/prometheus"), String.class);

        // then
        assertTrue(metrics.contains("jit_context_events_total{type=\"RISK_RAISED\"}"), metrics);
    }

    // ---- helpers ----

    private static String newTaskId() {
        return "task-" + UUID.randomUUID();
    }

    private static String submit(String workload, String taskId) {
        Reply reply = api.post("/v1/access-requests", tokens.valid(workload), """
                {"taskId":"%s","environment":"prod","resources":[{"type":"postgres","id":"orders-db","actions":["read"]}],
                 "ttlSeconds":900,"justification":"nightly report"}""".formatted(taskId));
        assertEquals(202, reply.status(), reply.body());
        return (String) api.json(reply.body()).get("requestId");
    }

    /** Plays issuer-service: announces the grant and waits until the ledger shows it. */
    private static void issue(String requestId, String workload, String taskId, String grantId) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        GrantIssued grant = GrantIssued.newBuilder()
                .setGrantId(grantId)
                .setRequestId(requestId)
                .setWorkloadId(workload)
                .setTaskId(taskId)
                .setEnvironment("prod")
                .setResources(List.of(Resource.newBuilder().setType("postgres").setId("orders-db").setActions(List.of("read")).build()))
                .setCredentialType("jwt")
                .setCredentialId("jti-" + grantId)
                .setIssuedAt(now)
                .setExpiresAt(now.plusSeconds(600))
                .build();
        try {
            events.send(new ProducerRecord<>(Topics.GRANTS.name(), grantId, grant)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
        await().atMost(Duration.ofSeconds(30)).until(
                () -> api.json(api.get("/v1/access-requests/" + requestId, tokens.valid(workload)).body()).get("grantId"),
                grantId::equals);
    }

    private static ConsumerRecord<String, RevocationRequest> awaitRevocationRequest(String eventId) {
        List<ConsumerRecord<String, RevocationRequest>> published =
                revocationRequests.awaitRecord(r -> r.value().getEventId().equals(eventId));
        assertEquals(1, published.size(), published.toString());
        return published.get(0);
    }

    /** Reports a valid marker event and returns the ids of every other context event published before it. */
    private static List<String> contextEventsBeforeAMarker() {
        Reply marker = api.post(CONTEXT_EVENTS, tokens.valid(DETECTOR), """
                {"workloadId":"%s","type":"RISK_RAISED","reason":"marker"}""".formatted(BUILDER));
        assertEquals(202, marker.status(), marker.body());
        String markerId = (String) api.json(marker.body()).get("eventId");
        return contextEvents.awaitRecord(r -> r.value().getEventId().equals(markerId)).stream()
                .map(r -> r.value().getEventId())
                .filter(id -> !id.equals(markerId))
                .toList();
    }

    /** Sends a valid marker revocation and returns the ids of every other revocation request published before it. */
    private static List<String> revocationRequestsBeforeAMarker() {
        Reply marker = api.post(REVOCATIONS, tokens.valid(SRE), """
                {"scope":"WORKLOAD","workloadId":"spiffe://dev.local/test/marker","reason":"marker"}""");
        assertEquals(202, marker.status(), marker.body());
        String markerId = (String) api.json(marker.body()).get("eventId");
        return revocationRequests.awaitRecord(r -> r.value().getEventId().equals(markerId)).stream()
                .map(r -> r.value().getEventId())
                .filter(id -> !id.equals(markerId))
                .toList();
    }

    private static double counter(String name, String tag, String value) {
        return meters.counter(name, tag, value).count();
    }
}
