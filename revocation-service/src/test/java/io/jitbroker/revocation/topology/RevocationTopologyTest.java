package io.jitbroker.revocation.topology;

import static io.jitbroker.revocation.TestEvents.grant;
import static io.jitbroker.revocation.TestEvents.taskEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.events.v1.TaskEventType;
import io.jitbroker.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevocationTopologyTest {

    /** The driver's wall clock starts here; every time in these tests is relative to it. */
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(15);
    private static final Duration RETENTION = Duration.ofHours(24);
    private static final Duration EXPIRY_SWEEP = Duration.ofMillis(100);

    @TempDir
    Path stateDir;

    private SimpleMeterRegistry meters;
    private TopologyTestDriver driver;
    private TestInputTopic<String, GrantIssued> grants;
    private TestInputTopic<String, byte[]> rawGrants;
    private TestInputTopic<String, TaskEvent> taskEvents;
    private TestOutputTopic<String, Revocation> revocations;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    @BeforeEach
    void startDriver() {
        startDriver(StreamsConfig.EXACTLY_ONCE_V2, 10_000);
    }

    private void startDriver(String processingGuarantee, int maxEntriesPerSweep) {
        meters = new SimpleMeterRegistry();
        RevocationMetrics metrics = new RevocationMetrics(meters);
        RevocationTopology.Settings settings =
                new RevocationTopology.Settings(EXPIRY_SWEEP, Duration.ofMinutes(1), RETENTION, maxEntriesPerSweep);
        RevocationTopology.EventSerdes serdes = new RevocationTopology.EventSerdes(
                PlainAvroSerde.of(GrantIssued.class), PlainAvroSerde.of(TaskEvent.class), PlainAvroSerde.of(Revocation.class));

        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "revocation-service.v1");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.putAll(DeadLetterOnDeserializationError.streamsConfig(PlainAvroSerde.serializer(DeadLetter.class), metrics));
        driver = new TopologyTestDriver(RevocationTopology.build(serdes, metrics, settings), config, T0);

        grants = driver.createInputTopic(Topics.GRANTS.name(),
                Serdes.String().serializer(), serdes.grants().serializer());
        rawGrants = driver.createInputTopic(Topics.GRANTS.name(),
                Serdes.String().serializer(), Serdes.ByteArray().serializer());
        taskEvents = driver.createInputTopic(Topics.TASK_EVENTS.name(),
                Serdes.String().serializer(), serdes.taskEvents().serializer());
        revocations = driver.createOutputTopic(Topics.REVOCATIONS.name(),
                Serdes.String().deserializer(), serdes.revocations().deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(),
                Serdes.String().deserializer(), PlainAvroSerde.deserializer(DeadLetter.class));
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void shouldRevokeWithTaskCompletedWhenTaskCompletes() {
        // given
        GrantIssued grant = issue(grant("g-1", "t-1", T0, TTL));

        // when
        report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));

        // then
        assertEquals(List.of(KeyValue.pair("g-1",
                        expected(grant, RevocationReason.TASK_COMPLETED, "task t-1 reported COMPLETED", "e-1", T0))),
                revocations.readKeyValuesToList());
        assertEquals(1.0, revocationCount(RevocationReason.TASK_COMPLETED));
        assertNull(store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-1"));
        assertNull(store(RevocationTopology.GRANTS_BY_TASK_STORE).get("t-1"));
        assertNotNull(store(RevocationTopology.REVOKED_GRANTS_STORE).get("g-1"));
    }

    @Test
    void shouldRevokeWithTaskFailedWhenTaskFails() {
        // given
        GrantIssued grant = issue(grant("g-1", "t-1", T0, TTL));

        // when
        report(taskEvent("e-1", "t-1", TaskEventType.FAILED, T0));

        // then
        assertEquals(List.of(expected(grant, RevocationReason.TASK_FAILED, "task t-1 reported FAILED", "e-1", T0)),
                revocations.readValuesToList());
    }

    @Test
    void shouldRevokeWithTaskCancelledWhenTaskIsCancelled() {
        // given
        GrantIssued grant = issue(grant("g-1", "t-1", T0, TTL));

        // when
        report(taskEvent("e-1", "t-1", TaskEventType.CANCELLED, T0));

        // then
        assertEquals(List.of(expected(grant, RevocationReason.TASK_CANCELLED, "task t-1 reported CANCELLED", "e-1", T0)),
                revocations.readValuesToList());
    }

    @Test
    void shouldRevokeWithTtlExpiredWhenGrantExpires() {
        // given
        GrantIssued grant = issue(grant("g-1", "t-1", T0, TTL));
        driver.advanceWallClockTime(TTL.minus(EXPIRY_SWEEP));
        assertTrue(revocations.isEmpty(), "nothing is revoked before the grant expires");

        // when
        driver.advanceWallClockTime(EXPIRY_SWEEP);

        // then
        Instant expiresAt = T0.plus(TTL);
        assertEquals(List.of(KeyValue.pair("g-1",
                        expected(grant, RevocationReason.TTL_EXPIRED, "grant g-1 expired at " + expiresAt, null, expiresAt))),
                revocations.readKeyValuesToList());
        assertEquals(1.0, revocationCount(RevocationReason.TTL_EXPIRED));
        assertEquals(1L, meters.get(RevocationMetrics.TTL_LATENESS).timer().count());
        assertEquals(0.0, meters.get(RevocationMetrics.TTL_LATENESS).timer().max(TimeUnit.MILLISECONDS));
        assertNull(store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-1"));
        assertTrue(isEmpty(RevocationTopology.EXPIRY_INDEX_STORE));
    }

    @Test
    void shouldRevokeGrantOnArrivalWhenItsTaskEndedBeforeIt() {
        // given: the completion wins the race between the two topics
        report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));
        assertTrue(revocations.isEmpty());

        // when
        GrantIssued grant = issue(grant("g-1", "t-1", T0, TTL));

        // then
        assertEquals(List.of(expected(grant, RevocationReason.TASK_COMPLETED,
                        "task t-1 reported COMPLETED before grant g-1 arrived", "e-1", T0)),
                revocations.readValuesToList());
        assertNull(store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-1"));
    }

    @Test
    void shouldEmitNothingWhenGrantArrivesAgainAfterRevocation() {
        // given
        issue(grant("g-1", "t-1", T0, TTL));
        report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));
        assertEquals(1, revocations.readValuesToList().size());

        // when
        issue(grant("g-1", "t-1", T0, TTL));
        driver.advanceWallClockTime(TTL.plus(EXPIRY_SWEEP));

        // then
        assertTrue(revocations.isEmpty());
        assertNull(store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-1"));
    }

    @Test
    void shouldEmitNothingWhenTaskEndsTwice() {
        // given
        issue(grant("g-1", "t-1", T0, TTL));
        report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));
        assertEquals(1, revocations.readValuesToList().size());

        // when
        report(taskEvent("e-2", "t-1", TaskEventType.COMPLETED, T0));
        report(taskEvent("e-3", "t-1", TaskEventType.FAILED, T0));

        // then
        assertTrue(revocations.isEmpty());
        assertEquals("e-1", ((TaskEvent) store(RevocationTopology.ENDED_TASKS_STORE).get("t-1")).getEventId());
    }

    @Test
    void shouldEmitNothingWhenGrantExpiresAfterItsTaskCompleted() {
        // given
        issue(grant("g-1", "t-1", T0, TTL));
        report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));
        assertEquals(1, revocations.readValuesToList().size());

        // when
        driver.advanceWallClockTime(TTL.plus(EXPIRY_SWEEP));

        // then
        assertTrue(revocations.isEmpty());
        assertEquals(0.0, revocationCount(RevocationReason.TTL_EXPIRED));
    }

    @Test
    void shouldRevokeEveryGrantOfTaskWhenTaskCompletes() {
        // given
        GrantIssued first = issue(grant("g-1", "t-1", T0, TTL));
        GrantIssued second = issue(grant("g-2", "t-1", T0, TTL));
        issue(grant("g-3", "t-2", T0, TTL));
        assertEquals(List.of("g-1", "g-2"), store(RevocationTopology.GRANTS_BY_TASK_STORE).get("t-1"));

        // when
        report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));

        // then
        assertEquals(List.of(
                        KeyValue.pair("g-1", expected(first, RevocationReason.TASK_COMPLETED, "task t-1 reported COMPLETED", "e-1", T0)),
                        KeyValue.pair("g-2", expected(second, RevocationReason.TASK_COMPLETED, "task t-1 reported COMPLETED", "e-1", T0))),
                revocations.readKeyValuesToList());
        assertNotNull(store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-3"), "another task's grant stays active");
    }

    @Test
    void shouldCountAndEmitNothingWhenTaskEventNamesUnknownTask() {
        // given
        issue(grant("g-1", "t-1", T0, TTL));

        // when
        report(taskEvent("e-9", "t-unknown", TaskEventType.COMPLETED, T0));

        // then
        assertTrue(revocations.isEmpty());
        assertEquals(1.0, meters.get(RevocationMetrics.UNKNOWN_TASK_EVENTS).counter().count());
        assertNotNull(store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-1"));
    }

    @Test
    void shouldIgnoreStartedAndHeartbeatEvents() {
        // given
        issue(grant("g-1", "t-1", T0, TTL));

        // when
        report(taskEvent("e-1", "t-1", TaskEventType.STARTED, T0));
        report(taskEvent("e-2", "t-1", TaskEventType.HEARTBEAT, T0));

        // then
        assertTrue(revocations.isEmpty());
        assertNull(store(RevocationTopology.ENDED_TASKS_STORE).get("t-1"));
        assertEquals(0.0, meters.get(RevocationMetrics.UNKNOWN_TASK_EVENTS).counter().count());
    }

    @Test
    void shouldDeadLetterUndecodableRecordAndContinueWhenGrantCannotBeDecoded() {
        // given: a driver at least once. Under exactly_once_v2 the driver drops a record that only the
        // deserialization handler produced: it clears its mock producer, open transaction included,
        // before anything commits it. RevocationServiceIT checks the dead letter under exactly-once
        // on the real broker.
        driver.close();
        startDriver(StreamsConfig.AT_LEAST_ONCE, 10_000);
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);

        // when
        rawGrants.pipeInput("g-bad", garbage, T0);
        GrantIssued grant = issue(grant("g-1", "t-1", T0, TTL));
        report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));

        // then
        List<KeyValue<String, DeadLetter>> letters = deadLetters.readKeyValuesToList();
        assertEquals(1, letters.size());
        DeadLetter letter = letters.get(0).value;
        assertEquals("g-bad", letters.get(0).key);
        assertEquals(Topics.GRANTS.name(), letter.getSourceTopic());
        assertEquals(0L, letter.getSourceOffset());
        assertEquals("revocation-service.v1", letter.getConsumer());
        assertTrue(letter.getReason().contains("magic byte"), letter.getReason());
        assertEquals("not avro", StandardCharsets.UTF_8.decode(letter.getPayload()).toString());
        assertEquals(1.0, meters.get(RevocationMetrics.DEAD_LETTERS).tag("topic", Topics.GRANTS.name()).counter().count());
        assertEquals(List.of(expected(grant, RevocationReason.TASK_COMPLETED, "task t-1 reported COMPLETED", "e-1", T0)),
                revocations.readValuesToList());
    }

    @Test
    void shouldRevokeGrantOnArrivalOnlyWhileTaskEndIsRetained() {
        // given
        report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));
        Instant later = T0.plus(RETENTION).plus(Duration.ofMinutes(1));

        // when: the retention sweep has run, then a grant of that task arrives
        driver.advanceWallClockTime(RETENTION.plus(Duration.ofMinutes(1)));
        issue(grant("g-1", "t-1", later, TTL));

        // then: the end is forgotten, so the grant is watched (and will expire) like any other
        assertNull(store(RevocationTopology.ENDED_TASKS_STORE).get("t-1"));
        assertTrue(revocations.isEmpty());
        assertNotNull(store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-1"));
    }

    @Test
    void shouldForgetRevokedGrantWhenRetentionHasPassedAfterItsExpiry() {
        // given
        issue(grant("g-1", "t-1", T0, TTL));
        report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));
        assertNotNull(store(RevocationTopology.REVOKED_GRANTS_STORE).get("g-1"));

        // when
        driver.advanceWallClockTime(TTL.plus(RETENTION).plus(Duration.ofMinutes(1)));

        // then
        assertNull(store(RevocationTopology.REVOKED_GRANTS_STORE).get("g-1"));
        assertTrue(isEmpty(RevocationTopology.RETENTION_INDEX_STORE));
    }

    @Test
    void shouldEmitNothingWhenGrantReplayedAfterItsRevocationWasForgotten() {
        // given: a grant revoked, then forgotten once the retention passed
        GrantIssued grant = grant("g-1", "t-1", T0, TTL);
        issue(grant);
        report(taskEvent("e-1", "t-1", TaskEventType.COMPLETED, T0));
        revocations.readValuesToList();
        driver.advanceWallClockTime(TTL.plus(RETENTION).plus(Duration.ofMinutes(1)));

        // when: the grant is replayed
        issue(grant);
        driver.advanceWallClockTime(EXPIRY_SWEEP);

        // then: it is stale, not revoked a second time
        assertTrue(revocations.isEmpty());
        assertNull(store(RevocationTopology.ACTIVE_GRANTS_STORE).get("g-1"));
    }

    @Test
    void shouldRevokeAtMostTheConfiguredNumberOfGrantsPerSweepWhenManyExpireAtOnce() {
        // given
        driver.close();
        startDriver(StreamsConfig.EXACTLY_ONCE_V2, 1);
        issue(grant("g-1", "t-1", T0, TTL));
        issue(grant("g-2", "t-2", T0, TTL.plusMillis(1)));

        // when
        driver.advanceWallClockTime(TTL.plus(EXPIRY_SWEEP));

        // then: one per sweep, earliest expiry first
        assertEquals(List.of("g-1"), keys(revocations.readKeyValuesToList()));
        driver.advanceWallClockTime(EXPIRY_SWEEP);
        assertEquals(List.of("g-2"), keys(revocations.readKeyValuesToList()));
    }

    private GrantIssued issue(GrantIssued grant) {
        grants.pipeInput(grant.getGrantId(), grant, grant.getIssuedAt());
        return grant;
    }

    private void report(TaskEvent event) {
        taskEvents.pipeInput(event.getTaskId(), event, event.getOccurredAt());
    }

    private KeyValueStore<String, Object> store(String name) {
        return driver.getKeyValueStore(name);
    }

    private boolean isEmpty(String storeName) {
        try (var all = store(storeName).all()) {
            return !all.hasNext();
        }
    }

    private static List<String> keys(List<KeyValue<String, Revocation>> records) {
        return records.stream().map(record -> record.key).toList();
    }

    private double revocationCount(RevocationReason reason) {
        return meters.get(RevocationMetrics.REVOCATIONS).tag("reason", reason.name()).counter().count();
    }

    private static Revocation expected(GrantIssued grant, RevocationReason reason, String detail, String causeEventId,
                                       Instant revokedAt) {
        return Revocation.newBuilder()
                .setGrantId(grant.getGrantId())
                .setRequestId(grant.getRequestId())
                .setWorkloadId(grant.getWorkloadId())
                .setTaskId(grant.getTaskId())
                .setEnvironment(grant.getEnvironment())
                .setCredentialId(grant.getCredentialId())
                .setReason(reason)
                .setDetail(detail)
                .setCauseEventId(causeEventId)
                .setExpiresAt(grant.getExpiresAt())
                .setRevokedAt(revokedAt)
                .build();
    }
}
