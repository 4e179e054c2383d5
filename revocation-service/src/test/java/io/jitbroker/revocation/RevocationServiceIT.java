package io.jitbroker.revocation;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.jitbroker.revocation.topology.RevocationTopology;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.api.trace.SpanContext;
import io.jitbroker.testkit.InMemorySpans;
import static io.jitbroker.revocation.TestEvents.contextEvent;
import static io.jitbroker.revocation.TestEvents.grant;
import static io.jitbroker.revocation.TestEvents.grantRevocationRequest;
import static io.jitbroker.revocation.TestEvents.taskEvent;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.events.v1.ContextEventType;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.TaskEventType;
import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.contracts.Topics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service as deployed: its Micronaut context and Kafka Streams app (exactly-once) on a real
 * KRaft broker and a real Apicurio registry, fed by plain producers the way the other services
 * write, read back by read_committed consumers.
 */
class RevocationServiceIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int PARTITIONS = 3;

    private static Infrastructure infra;
    private static Path stateDir;
    private static EmbeddedServer server;
    private static HttpClient http;
    private static KafkaProducer<String, SpecificRecord> producer;
    private static CommittedRecords<Revocation> revocations;
    private static CommittedRecords<DeadLetter> deadLetters;

    @BeforeAll
    static void startService() throws IOException {
        infra = Infrastructure.start(Infrastructure.Options.forTests().withoutPostgres());
        infra.kafka().createTopics(Topics.newTopics(PARTITIONS, (short) 1));
        // A state dir of its own per run: state shared between runs under exactly-once corrupts tasks.
        stateDir = Files.createTempDirectory("revocation-service-it-");

        Map<String, Object> properties = new HashMap<>(infra.serviceEnvironment());
        properties.put("KAFKA_STREAMS_STATE_DIR", stateDir.toString());
        properties.put("micronaut.server.port", -1);
        properties.putAll(InMemorySpans.SERVICE_SETTINGS);
        server = ApplicationContext.run(EmbeddedServer.class, properties);
        http = HttpClient.create(server.getURL());

        RegistrySerdes serdes = new RegistrySerdes(infra.registry().nativeApiUrl());
        producer = TestResources.eventProducer(infra);
        revocations = new CommittedRecords<>(serdes, infra.kafka().bootstrapServers(), Topics.REVOCATIONS.name(), PARTITIONS);
        deadLetters = new CommittedRecords<>(serdes, infra.kafka().bootstrapServers(), Topics.DEAD_LETTERS.name(), PARTITIONS);

        await().atMost(DEADLINE).until(() -> healthStatus() == 200);
    }

    @AfterAll
    static void stopService() {
        // Clients and the service first: stopping the broker under them costs ~30 s of retries.
        TestResources.closeQuietly(producer, revocations, deadLetters, http, server, infra);
        TestResources.deleteRecursively(stateDir);
    }

    @Test
    void shouldReportUpWithoutDetailsWhenStreamsAreRunning() {
        // when
        String body = http.toBlocking().retrieve("/health");

        // then: the status alone; disk, cluster id and registry URL are not shown to anyone who asks
        assertEquals("{\"status\":\"UP\"}", body.replace(" ", ""));
    }

    @Test
    void shouldExposeTheRevokersMetricsWhenPrometheusScrapes() {
        // when
        String metrics = prometheus();

        // then
        for (String name : List.of("jit_revocations_total", "jit_revocation_active_grants",
                "jit_revocation_ttl_lateness_seconds", "jit_revocation_heartbeat_lateness_seconds")) {
            assertTrue(metrics.contains(name), name + " is exported");
        }
    }

    @Test
    void shouldRevokeExactlyOnceWithTaskCompletedWhenTaskCompletes() {
        // given
        String taskId = "task-" + UUID.randomUUID();
        GrantIssued grant = grant("grant-" + UUID.randomUUID(), taskId, Instant.now(), Duration.ofMinutes(15));
        publish(Topics.GRANTS.name(), grant.getGrantId(), grant);

        // when
        String eventId = "event-" + UUID.randomUUID();
        publish(Topics.TASK_EVENTS.name(), taskId, taskEvent(eventId, taskId, TaskEventType.COMPLETED, Instant.now()));

        // then: either the grant or the completion may win the race through the repartition topic
        Revocation revocation = revocations.awaitOne(grant.getGrantId(), DEADLINE);
        assertEquals(RevocationReason.TASK_COMPLETED, revocation.getReason());
        assertEquals(eventId, revocation.getCauseEventId());
        assertTrue(revocation.getDetail().startsWith("task " + taskId + " reported COMPLETED"), revocation.getDetail());
        assertEquals(grant.getCredentialId(), revocation.getCredentialId());

        // and when the grant is replayed, then a late grant of the ended task arrives, both on one
        // partition so that the replay is processed first
        GrantIssued late = grant("grant-" + UUID.randomUUID(), taskId, Instant.now(), Duration.ofMinutes(15));
        publish(Topics.GRANTS.name(), 0, grant.getGrantId(), grant);
        publish(Topics.GRANTS.name(), 0, late.getGrantId(), late);

        // then the late grant is revoked on arrival, and the replay produced nothing
        assertEquals(RevocationReason.TASK_COMPLETED, revocations.awaitOne(late.getGrantId(), DEADLINE).getReason());
        assertEquals(1, revocations.valuesFor(grant.getGrantId()).size());
        assertTrue(prometheus().contains("jit_revocations_total{reason=\"TASK_COMPLETED\"}"), "revocations are counted");
    }

    @Test
    void shouldRevokeWithTtlExpiredWhenGrantExpires() {
        // given
        Instant now = Instant.now();
        GrantIssued grant = grant("grant-" + UUID.randomUUID(), "task-" + UUID.randomUUID(), now, Duration.ofSeconds(2));

        // when
        publish(Topics.GRANTS.name(), grant.getGrantId(), grant);

        // then
        Revocation revocation = revocations.awaitOne(grant.getGrantId(), DEADLINE);
        assertEquals(RevocationReason.TTL_EXPIRED, revocation.getReason());
        assertNull(revocation.getCauseEventId());
        assertFalse(revocation.getRevokedAt().isBefore(grant.getExpiresAt()), "never revoked before it expires");
    }

    @Test
    void shouldDeadLetterGarbageAndContinueWhenGrantCannotBeDecoded() {
        // given
        String badKey = "garbage-" + UUID.randomUUID();
        try (KafkaProducer<String, byte[]> raw = rawProducer()) {
            raw.send(new ProducerRecord<>(Topics.GRANTS.name(), badKey, "not avro".getBytes(StandardCharsets.UTF_8)));
        }
        String taskId = "task-" + UUID.randomUUID();
        GrantIssued grant = grant("grant-" + UUID.randomUUID(), taskId, Instant.now(), Duration.ofMinutes(15));

        // when
        publish(Topics.GRANTS.name(), grant.getGrantId(), grant);
        publish(Topics.TASK_EVENTS.name(), taskId, taskEvent("event-" + UUID.randomUUID(), taskId, TaskEventType.FAILED,
                Instant.now()));

        // then
        DeadLetter letter = deadLetters.awaitOne(badKey, DEADLINE);
        assertEquals(Topics.GRANTS.name(), letter.getSourceTopic());
        assertEquals("revocation-service.v1", letter.getConsumer());
        assertEquals("not avro", StandardCharsets.UTF_8.decode(letter.getPayload()).toString());
        assertEquals(RevocationReason.TASK_FAILED, revocations.awaitOne(grant.getGrantId(), DEADLINE).getReason());
    }

    @Test
    void shouldRevokeEveryGrantOfWorkloadWhenContextEventSaysItIsCompromised() {
        // given: a workload of its own, with grants on two tasks
        String workloadId = "spiffe://dev.local/ci/" + UUID.randomUUID();
        GrantIssued first = grant("grant-" + UUID.randomUUID(), workloadId, "task-" + UUID.randomUUID(), Instant.now(),
                Duration.ofMinutes(15));
        GrantIssued second = grant("grant-" + UUID.randomUUID(), workloadId, "task-" + UUID.randomUUID(), Instant.now(),
                Duration.ofMinutes(15));
        publish(Topics.GRANTS.name(), first.getGrantId(), first);
        publish(Topics.GRANTS.name(), second.getGrantId(), second);

        // when
        String eventId = "context-" + UUID.randomUUID();
        publish(Topics.CONTEXT_EVENTS.name(), workloadId,
                contextEvent(eventId, workloadId, ContextEventType.WORKLOAD_COMPROMISED, null, Instant.now()));

        // then: both, whichever arrived first (a grant issued before the change is revoked on arrival)
        for (GrantIssued grant : List.of(first, second)) {
            Revocation revocation = revocations.awaitOne(grant.getGrantId(), DEADLINE);
            assertEquals(RevocationReason.CONTEXT_CHANGED, revocation.getReason());
            assertEquals(eventId, revocation.getCauseEventId());
        }
    }

    @Test
    void shouldRevokeWithManualWhenAnSreAsksAndDeadLetterARequestWithAReasonItMayNotGive() {
        // given
        String workloadId = "spiffe://dev.local/ci/" + UUID.randomUUID();
        GrantIssued grant = grant("grant-" + UUID.randomUUID(), workloadId, "task-" + UUID.randomUUID(), Instant.now(),
                Duration.ofMinutes(15));
        publish(Topics.GRANTS.name(), grant.getGrantId(), grant);
        RevocationRequest invalid = RevocationRequest.newBuilder(grantRevocationRequest("request-" + UUID.randomUUID(),
                workloadId, grant.getGrantId(), RevocationReason.MANUAL, Instant.now()))
                .setReason(RevocationReason.TTL_EXPIRED).build();

        // when
        publish(Topics.REVOCATION_REQUESTS.name(), workloadId, invalid);
        String requestId = "request-" + UUID.randomUUID();
        publish(Topics.REVOCATION_REQUESTS.name(), workloadId,
                grantRevocationRequest(requestId, workloadId, grant.getGrantId(), RevocationReason.MANUAL, Instant.now()));

        // then
        Revocation revocation = revocations.awaitOne(grant.getGrantId(), DEADLINE);
        assertEquals(RevocationReason.MANUAL, revocation.getReason());
        assertEquals(requestId, revocation.getCauseEventId());
        DeadLetter letter = deadLetters.awaitOne(workloadId, DEADLINE);
        assertEquals(Topics.REVOCATION_REQUESTS.name(), letter.getSourceTopic());
        assertEquals("invalid record: reason must be MANUAL or POLICY_CHANGED, was TTL_EXPIRED", letter.getReason());
    }

    @Test
    void shouldRevokeInASpanOfTheTaskEventsTraceWhenTheTaskEventCarriesOne() throws Exception {
        // given: a grant the revoker watches, and its task's completion sent from span T of a trace
        String taskId = "task-" + UUID.randomUUID();
        GrantIssued grant = grant("grant-" + UUID.randomUUID(), taskId, Instant.now(), Duration.ofMinutes(15));
        double watchedBefore = activeGrants();
        publish(Topics.GRANTS.name(), grant.getGrantId(), grant);
        await().atMost(DEADLINE).until(() -> activeGrants() > watchedBefore);
        SpanContext ended = InMemorySpans.newTraceParent();
        ProducerRecord<String, SpecificRecord> completed = new ProducerRecord<>(Topics.TASK_EVENTS.name(), taskId,
                taskEvent("event-" + UUID.randomUUID(), taskId, TaskEventType.COMPLETED, Instant.now()));
        completed.headers().add("traceparent", InMemorySpans.traceParent(ended).getBytes(StandardCharsets.UTF_8));

        // when
        producer.send(completed).get();
        revocations.awaitOne(grant.getGrantId(), DEADLINE);

        // then: the revocation was written from the task-event intake's span, a child of T
        ConsumerRecord<String, Revocation> revocation = revocations.records(grant.getGrantId()::equals).get(0);
        SpanData revoking = InMemorySpans.awaitSpan(InMemorySpans.traceParentOf(revocation.headers()).orElseThrow(),
                DEADLINE);
        assertEquals("revocation " + RevocationTopology.TASK_EVENT_INTAKE, revoking.getName());
        assertEquals(ended.getTraceId(), revoking.getTraceId());
        assertEquals(ended.getSpanId(), revoking.getParentSpanId());
    }

    /** jit_revocation_active_grants: the grants this instance watches. */
    private static double activeGrants() {
        return prometheus().lines().filter(line -> line.startsWith("jit_revocation_active_grants"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static void publish(String topic, String key, SpecificRecord value) {
        publish(topic, null, key, value);
    }

    private static void publish(String topic, Integer partition, String key, SpecificRecord value) {
        try {
            producer.send(new ProducerRecord<>(topic, partition, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    private static KafkaProducer<String, byte[]> rawProducer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    private static int healthStatus() {
        try {
            HttpResponse<String> response = http.toBlocking().exchange("/health", String.class);
            return response.code();
        } catch (HttpClientResponseException e) {
            return e.getStatus().getCode();
        }
    }

    private static String prometheus() {
        return http.toBlocking().retrieve("/prometheus");
    }
}
