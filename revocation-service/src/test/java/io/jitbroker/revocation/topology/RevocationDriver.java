package io.jitbroker.revocation.topology;

import io.jitbroker.revocation.metrics.RevocationMetrics;
import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.testkit.PlainAvroSerde;
import io.jitbroker.testkit.TopologyDriverExtension;
import io.jitbroker.contracts.Topics;
import io.jitbroker.streams.DeadLetterOnDeserializationError;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The revoker's topology in a TopologyTestDriver, with plain Avro serdes, a wall clock that starts
 * at {@link #T0}, the four inputs, the internal topic of revoke commands (to test the task side's
 * handling of commands directly) and the two outputs. Tests pipe events in with the event's own
 * time as the record timestamp and move the wall clock to fire the sweeps. The driver runs every
 * sub-topology in one task and routes repartition topics internally, so a record piped in is
 * processed through both sides before the call returns. A test class registers it with
 * {@code @RegisterExtension final RevocationDriver revoker = new RevocationDriver();}: a fresh driver per test.
 */
final class RevocationDriver extends TopologyDriverExtension {

    static final Duration TTL = Duration.ofMinutes(15);
    static final Duration RETENTION = Duration.ofHours(24);
    static final Duration SWEEP = Duration.ofMillis(100);
    static final Duration GRACE = Duration.ofSeconds(5);
    static final String APPLICATION_ID = "revocation-service.v1";

    SimpleMeterRegistry meters;
    private int maxEntriesPerSweep = 10_000;
    TestInputTopic<String, GrantIssued> grants;
    TestInputTopic<String, byte[]> rawGrants;
    TestInputTopic<String, TaskEvent> taskEvents;
    TestInputTopic<String, ContextEvent> contextEvents;
    TestInputTopic<String, RevocationRequest> revocationRequests;
    /** The internal topic from the workload side to the task side. */
    TestInputTopic<String, RevocationRequest> revokeCommands;
    TestOutputTopic<String, Revocation> revocations;
    TestOutputTopic<String, DeadLetter> deadLetters;

    /** Starts over, empty, with another processing guarantee and sweep size. */
    void restartWith(String processingGuarantee, int maxEntriesPerSweep) {
        this.maxEntriesPerSweep = maxEntriesPerSweep;
        restartWith(processingGuarantee);
    }

    @Override
    protected void start(Path stateDir) {
        meters = new SimpleMeterRegistry();
        RevocationMetrics metrics = new RevocationMetrics(meters);
        RevocationTopology.Settings settings =
                new RevocationTopology.Settings(SWEEP, Duration.ofMinutes(1), RETENTION, maxEntriesPerSweep, GRACE);
        RevocationTopology.EventSerdes serdes = new RevocationTopology.EventSerdes(
                PlainAvroSerde.of(GrantIssued.class), PlainAvroSerde.of(TaskEvent.class),
                PlainAvroSerde.of(ContextEvent.class), PlainAvroSerde.of(RevocationRequest.class),
                PlainAvroSerde.of(Revocation.class), PlainAvroSerde.of(DeadLetter.class));

        Properties config = streamsConfig(APPLICATION_ID, stateDir);
        config.putAll(DeadLetterOnDeserializationError.streamsConfig(PlainAvroSerde.serializer(DeadLetter.class), metrics));
        driver = new TopologyTestDriver(RevocationTopology.build(serdes, metrics, settings), config, T0);

        grants = driver.createInputTopic(Topics.GRANTS.name(), Serdes.String().serializer(), serdes.grants().serializer());
        rawGrants = driver.createInputTopic(Topics.GRANTS.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        taskEvents = driver.createInputTopic(Topics.TASK_EVENTS.name(),
                Serdes.String().serializer(), serdes.taskEvents().serializer());
        contextEvents = driver.createInputTopic(Topics.CONTEXT_EVENTS.name(),
                Serdes.String().serializer(), serdes.contextEvents().serializer());
        revocationRequests = driver.createInputTopic(Topics.REVOCATION_REQUESTS.name(),
                Serdes.String().serializer(), serdes.revocationRequests().serializer());
        revokeCommands = driver.createInputTopic(
                APPLICATION_ID + "-" + RevocationTopology.REVOKE_COMMANDS_REPARTITION + "-repartition",
                Serdes.String().serializer(), serdes.revocationRequests().serializer());
        revocations = driver.createOutputTopic(Topics.REVOCATIONS.name(),
                Serdes.String().deserializer(), serdes.revocations().deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(),
                Serdes.String().deserializer(), serdes.deadLetters().deserializer());
    }

    /** Publishes a grant as the issuer does: keyed by grant id. */
    GrantIssued issue(GrantIssued grant) {
        grants.pipeInput(grant.getGrantId(), grant, grant.getIssuedAt());
        return grant;
    }

    /** Publishes a task event as request-service does: keyed by task id. */
    TaskEvent report(TaskEvent event) {
        taskEvents.pipeInput(event.getTaskId(), event, event.getOccurredAt());
        return event;
    }

    /** Publishes a context event keyed by its workload id. */
    ContextEvent change(ContextEvent event) {
        contextEvents.pipeInput(event.getWorkloadId(), event, event.getOccurredAt());
        return event;
    }

    /** Publishes a revocation request keyed by its workload id. */
    RevocationRequest request(RevocationRequest request) {
        revocationRequests.pipeInput(request.getWorkloadId(), request, request.getRequestedAt());
        return request;
    }

    /** Sends a revoke command to the task side as the workload side does: keyed by its task id. */
    RevocationRequest command(RevocationRequest command) {
        revokeCommands.pipeInput(command.getTaskId(), command, command.getRequestedAt());
        return command;
    }

    /** Moves the wall clock (punctuations fire) so that it reads {@code at}. */
    List<Revocation> revoked() {
        return revocations.readValuesToList();
    }

    List<KeyValue<String, Revocation>> revokedWithKeys() {
        return revocations.readKeyValuesToList();
    }

    KeyValueStore<String, Object> store(String name) {
        return driver.getKeyValueStore(name);
    }

    boolean isEmpty(String storeName) {
        try (KeyValueIterator<String, Object> all = store(storeName).all()) {
            return !all.hasNext();
        }
    }

    double revocationCount(RevocationReason reason) {
        return meters.get(RevocationMetrics.REVOCATIONS).tag("reason", reason.name()).counter().count();
    }

    double unknownTargets(String inputTopic) {
        var counter = meters.find(RevocationMetrics.UNKNOWN_TARGETS).tag("input", inputTopic).counter();
        return counter == null ? 0.0 : counter.count();
    }

    double activeGrants() {
        return meters.get(RevocationMetrics.ACTIVE_GRANTS).gauge().value();
    }

    /** The revocation the topology should emit for {@code grant}. */
    static Revocation expected(GrantIssued grant, RevocationReason reason, String detail, String causeEventId,
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
