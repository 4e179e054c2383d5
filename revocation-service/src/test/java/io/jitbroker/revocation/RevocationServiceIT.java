package io.jitbroker.revocation;

import static io.jitbroker.revocation.TestEvents.grant;
import static io.jitbroker.revocation.TestEvents.taskEvent;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.TaskEventType;
import io.jitbroker.schemas.RegistrySerdes;
import io.jitbroker.schemas.Topics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
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
        server = ApplicationContext.run(EmbeddedServer.class, properties);
        http = HttpClient.create(server.getURL());

        RegistrySerdes serdes = new RegistrySerdes(infra.registry().nativeApiUrl());
        Map<String, Object> producerConfig = serdes.producerConfig();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer = new KafkaProducer<>(producerConfig);
        revocations = new CommittedRecords<>(serdes, Topics.REVOCATIONS.name());
        deadLetters = new CommittedRecords<>(serdes, Topics.DEAD_LETTERS.name());

        await().atMost(DEADLINE).until(() -> healthStatus() == 200);
    }

    @AfterAll
    static void stopService() {
        // Clients and the service first: stopping the broker under them costs ~30 s of retries.
        closeQuietly(producer);
        closeQuietly(revocations);
        closeQuietly(deadLetters);
        closeQuietly(http);
        closeQuietly(server);
        closeQuietly(infra);
        deleteRecursively(stateDir);
    }

    @Test
    void shouldReportUpWhenStreamsAreRunning() {
        // when
        String body = http.toBlocking().retrieve("/health");

        // then
        assertTrue(body.contains("\"revocationStreams\""), body);
        assertTrue(body.contains("\"RUNNING\""), body);
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

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(RevocationServiceIT.class).warn("could not close {}", closeable, e);
        }
    }

    /**
     * Everything committed to a topic, read from the beginning by a read_committed consumer
     * through the registry, polled on the test thread (consumers are not thread-safe).
     */
    private static final class CommittedRecords<V> implements AutoCloseable {

        private final KafkaConsumer<String, V> consumer;
        private final List<ConsumerRecord<String, V>> seen = new ArrayList<>();

        CommittedRecords(RegistrySerdes serdes, String topic) {
            Map<String, Object> config = serdes.consumerConfig();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers());
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumer = new KafkaConsumer<>(config);
            List<TopicPartition> partitions = new ArrayList<>();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                partitions.add(new TopicPartition(topic, partition));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        V awaitOne(String key, Duration deadline) {
            await().atMost(deadline).pollInSameThread().until(() -> !valuesFor(key).isEmpty());
            List<V> values = valuesFor(key);
            assertEquals(1, values.size(), "exactly one record for " + key);
            return values.get(0);
        }

        List<V> valuesFor(String key) {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            return seen.stream().filter(record -> key.equals(record.key())).map(ConsumerRecord::value).toList();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
