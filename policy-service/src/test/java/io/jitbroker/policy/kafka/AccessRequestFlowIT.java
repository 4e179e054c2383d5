package io.jitbroker.policy.kafka;

import io.jitbroker.testkit.InMemorySpans;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.contracts.Topics;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.events.v1.AccessRequest;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.DecisionOutcome;
import io.jitbroker.events.v1.DenyCode;
import io.jitbroker.events.v1.Resource;
import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.policy.support.PolicyInfrastructure;
import io.jitbroker.policy.support.RecordReader;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as deployed, on a real broker and schema registry, with the shipped example policy:
 * requests in, decisions and dead letters out, read the way downstream services read them.
 */
class AccessRequestFlowIT {

    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final int PARTITION = 0;
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

    private static Infrastructure infra;
    private static EmbeddedServer server;
    private static KafkaProducer<String, AccessRequest> requests;
    private static KafkaProducer<String, byte[]> rawRequests;
    private static RecordReader<AccessDecision> decisions;
    private static RecordReader<DeadLetter> deadLetters;

    @BeforeAll
    static void startServiceOnRealInfrastructure(@TempDir Path stateDir) {
        infra = PolicyInfrastructure.start();
        String bootstrap = infra.kafka().bootstrapServers();
        RegistrySerdes serdes = new RegistrySerdes(infra.registry().nativeApiUrl());

        Map<String, Object> properties = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", bootstrap,
                "jit.schema-registry.url", serdes.registryUrl(),
                "jit.policy.file", "classpath:policies/dev-example.yaml",
                "kafka.streams.policy.state.dir", stateDir.toString(),
                "micronaut.server.port", -1));
        properties.putAll(InMemorySpans.SERVICE_SETTINGS);
        server = ApplicationContext.run(EmbeddedServer.class, properties);

        Map<String, Object> producerConfig = new HashMap<>(serdes.producerConfig());
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        requests = new KafkaProducer<>(producerConfig);
        rawRequests = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer());
        decisions = new RecordReader<>(Topics.ACCESS_DECISIONS, bootstrap, serdes.consumerConfig());
        deadLetters = new RecordReader<>(Topics.DEAD_LETTERS, bootstrap, serdes.consumerConfig());
    }

    @AfterAll
    static void stopEverything() {
        // Clients and the service first: stopping Kafka under them makes them wait for it.
        closeQuietly(decisions);
        closeQuietly(deadLetters);
        closeQuietly(requests);
        closeQuietly(rawRequests);
        closeQuietly(server == null ? null : server.getApplicationContext());
        closeQuietly(infra);
    }

    @Test
    void shouldApproveReadWriteCappedAt600SecondsWhenDeployerAsksForInventoryInStaging() throws Exception {
        // given
        AccessRequest request = inventoryRequest("staging", 3600, 60L);

        // when
        send(request);
        AccessDecision decision = decisionFor(request.getRequestId());

        // then
        assertEquals(DecisionOutcome.APPROVED, decision.getOutcome());
        assertEquals(List.of(Resource.newBuilder().setType("http").setId("inventory-api")
                .setActions(List.of("read", "write")).build()), decision.getGrantedResources());
        assertTrue(decision.getGrantedTtlSeconds() > 0 && decision.getGrantedTtlSeconds() <= 600,
                "ttl " + decision.getGrantedTtlSeconds());
        assertEquals(List.of("ci-deployer-staging-inventory"), decision.getMatchedRules());
        assertEquals("2026-11-23.1", decision.getPolicyVersion());
        assertEquals(DEPLOYER, decision.getWorkloadId());
        assertEquals(request.getTaskId(), decision.getTaskId());
        assertEquals("staging", decision.getEnvironment());
        assertTrue(decision.getReasons().contains("ttl narrowed from 3600 s to 600 s by rule ci-deployer-staging-inventory"),
                decision.getReasons().toString());
        assertEquals(60L, decision.getHeartbeatIntervalSeconds(), "the heartbeat asked for, unchanged");
    }

    @Test
    void shouldCapHeartbeatAtGrantedTtlWhenRequestAsksForALongerOne() throws Exception {
        // given: the rule caps the grant at 600 s; the heartbeat asked for is 900 s
        AccessRequest request = inventoryRequest("staging", 3600, 900L);

        // when
        send(request);
        AccessDecision decision = decisionFor(request.getRequestId());

        // then
        assertEquals(DecisionOutcome.APPROVED, decision.getOutcome());
        assertEquals(600, decision.getGrantedTtlSeconds());
        assertEquals(600L, decision.getHeartbeatIntervalSeconds());
        assertTrue(decision.getReasons().contains("heartbeat interval narrowed from 900 s to 600 s: it cannot exceed the granted ttl"),
                decision.getReasons().toString());
    }

    @Test
    void shouldCarryNoHeartbeatWhenRequestAsksForNone() throws Exception {
        // given
        AccessRequest request = inventoryRequest("staging", 300);

        // when
        send(request);
        AccessDecision decision = decisionFor(request.getRequestId());

        // then
        assertEquals(DecisionOutcome.APPROVED, decision.getOutcome());
        assertNull(decision.getHeartbeatIntervalSeconds());
    }

    @Test
    void shouldDenyProdWhileTheWorkloadHoldsAStagingGrant() throws Exception {
        // given: an approved staging request (a reservation, before any grant is issued)
        AccessRequest staging = inventoryRequest("staging", 300);
        send(staging);
        assertEquals(DecisionOutcome.APPROVED, decisionFor(staging.getRequestId()).getOutcome());

        // when: the same workload asks for prod, which the example policy separates from staging
        AccessRequest prod = inventoryRequest("prod", 300, 60L);
        send(prod);
        AccessDecision decision = decisionFor(prod.getRequestId());

        // then
        assertEquals(DecisionOutcome.DENIED, decision.getOutcome());
        assertEquals(DenyCode.ENVIRONMENT_SEPARATION, decision.getDenyCode());
        assertEquals(List.of(), decision.getGrantedResources());
        assertEquals(0, decision.getGrantedTtlSeconds());
        assertNull(decision.getHeartbeatIntervalSeconds(), "a denial requires no heartbeat");
        assertTrue(decision.getReasons().get(0).contains("separates staging and prod"), decision.getReasons().toString());
        assertEquals("2026-11-23.1", decision.getPolicyVersion());
    }

    @Test
    void shouldDenyRatherThanDeadLetterWhenRequestDecodesButIsInvalid() throws Exception {
        // given
        AccessRequest request = inventoryRequest("staging", 0);

        // when
        send(request);
        AccessDecision decision = decisionFor(request.getRequestId());

        // then
        assertEquals(DecisionOutcome.DENIED, decision.getOutcome());
        assertEquals(List.of("invalid request: ttlSeconds must be greater than 0, got 0"), decision.getReasons());
    }

    @Test
    void shouldDeadLetterGarbageAndDecideNextRequestWhenRecordCannotBeDecoded() throws Exception {
        // given: garbage, then a good request behind it on the same partition
        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
        AccessRequest next = inventoryRequest("staging", 60);

        // when
        RecordMetadata garbageAt = rawRequests.send(new ProducerRecord<>(Topics.ACCESS_REQUESTS.name(), PARTITION,
                "garbage-key", garbage)).get();
        requests.send(new ProducerRecord<>(Topics.ACCESS_REQUESTS.name(), PARTITION, next.getWorkloadId(), next)).get();

        // then
        DeadLetter letter = deadLetters.await(r -> r.value().getSourceOffset() == garbageAt.offset()
                && r.value().getSourcePartition() == PARTITION).value();
        assertEquals(Topics.ACCESS_REQUESTS.name(), letter.getSourceTopic());
        assertEquals("policy-service.decisions.v1", letter.getConsumer());
        assertArrayEquals(garbage, bytes(letter.getPayload()));
        assertTrue(!letter.getReason().isBlank(), "a dead letter says why");
        assertEquals(DecisionOutcome.APPROVED, decisionFor(next.getRequestId()).getOutcome());
    }

    @Test
    void shouldDeadLetterWhenRequestHasNoRequestIdToAddressADecisionTo() throws Exception {
        // given
        AccessRequest unaddressable = AccessRequest.newBuilder(inventoryRequest("staging", 60)).setRequestId(" ").build();

        // when
        RecordMetadata sentAt = requests.send(new ProducerRecord<>(Topics.ACCESS_REQUESTS.name(), PARTITION,
                "no-request-id", unaddressable)).get();

        // then
        ConsumerRecord<String, DeadLetter> record = deadLetters.await(r -> r.value().getSourceOffset() == sentAt.offset()
                && r.value().getSourcePartition() == PARTITION);
        DeadLetter letter = record.value();
        assertEquals("no-request-id", record.key());
        assertEquals(Topics.ACCESS_REQUESTS.name(), letter.getSourceTopic());
        assertEquals("invalid record: access request has no requestId", letter.getReason());
    }

    @Test
    void shouldServeHealthAndCountDecisionsWhenRunning() throws Exception {
        // given: a request no rule allows
        AccessRequest request = AccessRequest.newBuilder(inventoryRequest("staging", 60))
                .setResources(List.of(Resource.newBuilder().setType("http").setId("payroll-api")
                        .setActions(List.of("read")).build()))
                .build();
        send(request);
        assertEquals(DenyCode.NO_MATCHING_RULE, decisionFor(request.getRequestId()).getDenyCode());
        HttpClient http = HttpClient.newHttpClient();

        // when
        // Each probe is a point in time (the registry check has a 2 s timeout): wait for UP on a loaded machine.
        HttpResponse<String> health = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> http.send(
                HttpRequest.newBuilder(server.getURI().resolve("/health")).timeout(HTTP_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()), response -> response.statusCode() == 200);
        String metrics = Awaitility.await().until(() -> http.send(
                HttpRequest.newBuilder(server.getURI().resolve("/prometheus")).timeout(HTTP_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()).body(), body -> body.contains("deny_code=\"NO_MATCHING_RULE\",outcome=\"denied\"}"));

        // then
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("UP"), health.body());
        assertTrue(metrics.contains("jit_policy_decisions_total{break_glass=\"false\",deny_code=\"NO_MATCHING_RULE\""),
                metrics);
        assertTrue(metrics.contains("kafka_consumer_fetch_manager_records_lag_max"), "consumer lag is exported");
    }

    @Test
    void shouldDecideInASpanOfTheRequestsTraceWhenTheRequestCarriesOne() throws Exception {
        // given: a request published from span P of a workload's trace
        AccessRequest request = inventoryRequest("staging", 300);
        SpanContext requested = InMemorySpans.newTraceParent();
        ProducerRecord<String, AccessRequest> record = new ProducerRecord<>(Topics.ACCESS_REQUESTS.name(),
                request.getWorkloadId(), request);
        record.headers().add("traceparent", InMemorySpans.traceParent(requested).getBytes(StandardCharsets.UTF_8));

        // when
        requests.send(record).get();
        ConsumerRecord<String, AccessDecision> decision = decisions.await(r -> request.getRequestId().equals(r.key()));

        // then: the decision was written from the decide span, a child of P in the same trace
        SpanData deciding = InMemorySpans.awaitSpan(InMemorySpans.traceParentOf(decision.headers()).orElseThrow(),
                HTTP_TIMEOUT);
        assertEquals("policy decide", deciding.getName());
        assertEquals(SpanKind.CONSUMER, deciding.getKind());
        assertEquals(requested.getTraceId(), deciding.getTraceId());
        assertEquals(requested.getSpanId(), deciding.getParentSpanId());
    }

    private static AccessRequest inventoryRequest(String environment, long ttlSeconds) {
        return inventoryRequest(environment, ttlSeconds, null);
    }

    private static AccessRequest inventoryRequest(String environment, long ttlSeconds, Long heartbeatIntervalSeconds) {
        return AccessRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setWorkloadId(DEPLOYER)
                .setTaskId("task-" + UUID.randomUUID())
                .setEnvironment(environment)
                .setResources(List.of(Resource.newBuilder().setType("http").setId("inventory-api")
                        .setActions(List.of("read", "write")).build()))
                .setTtlSeconds(ttlSeconds)
                .setHeartbeatIntervalSeconds(heartbeatIntervalSeconds)
                .setJustification("deploy")
                .setRequestedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }

    private static void send(AccessRequest request) throws Exception {
        requests.send(new ProducerRecord<>(Topics.ACCESS_REQUESTS.name(), request.getWorkloadId(), request)).get();
    }

    private static AccessDecision decisionFor(String requestId) {
        ConsumerRecord<String, AccessDecision> record = decisions.await(r -> requestId.equals(r.key()));
        assertEquals(requestId, record.value().getRequestId());
        return record.value();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(AccessRequestFlowIT.class).warn("closing {} failed", closeable, e);
            }
        }
    }
}
