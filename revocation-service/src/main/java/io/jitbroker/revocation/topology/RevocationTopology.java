package io.jitbroker.revocation.topology;

import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.revocation.domain.InputValidation;
import io.jitbroker.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revoker: exactly one {@link Revocation} per grant, keyed by grant id, for the first of its
 * task's end (completed, failed, cancelled), its TTL, a missed heartbeat, a change of its
 * workload's context, or a revocation request (manual or policy change).
 *
 * <pre>
 * jit.grants.v1 (key grantId) → grants-validation ─invalid→ grants-dead-letters → jit.dead-letters.v1
 *   └valid→ grants-keyed-by-workload → repartition grants-rekeyed-by-workload → grant-intake ──────┐
 * jit.task-events.v1 (key taskId) → task-events-validation ─invalid→ ... → jit.dead-letters.v1    │
 *   └valid→ task-events-keyed-by-workload → repartition task-events-rekeyed-by-workload            │
 *                                                              → task-event-intake ───────────────┤ all four
 * jit.context-events.v1 (key workloadId) → context-events-validation ─invalid→ ...                 │ share the
 *   └valid→ context-event-intake ─────────────────────────────────────────────────────────────────┤ stores
 * jit.revocation-requests.v1 (key workloadId) → revocation-requests-validation ─invalid→ ...        │ below
 *   └valid→ revocation-request-intake ────────────────────────────────────────────────────────────┘
 *                      revocations-from-* (merge) → revocations-sink → jit.revocations.v1 (key grantId)
 * </pre>
 *
 * <p><b>Why everything is partitioned by workload id.</b> Exactly one revocation per grant is
 * only cheap when every event that can revoke a grant is seen by the one Streams task that holds
 * it: then "already revoked?" is a local store read inside the task's exactly-once transaction,
 * with no cross-partition coordination. A task's end needs the grants of its task, but a context
 * event (workload compromised) and a workload-wide revocation request need all of a workload's
 * grants, across its tasks; the workload is the smallest key that puts all of them together.
 * Grants (keyed by grant id) and task events (keyed by task id) are therefore re-keyed by their
 * workload id through named repartition topics; context events and revocation requests are keyed
 * by workload id already and are read as they are (a record whose key is not its workload id sits
 * on the wrong partition and is dead-lettered). The repartition topics get the partition counts
 * of jit.grants.v1 and jit.task-events.v1, and the task for partition p reads partition p of all
 * four inputs, so the four input topics must have the same number of partitions
 * ({@code Topics.newTopics} creates them so; {@link #requireCoPartitioned} checks it at start).
 *
 * <p>Every name is fixed here because generated names shift when the topology changes, and the
 * state and internal topics behind them would be lost. Stores:
 * {@value #ACTIVE_GRANTS_STORE} (grantId → grant), {@value #GRANTS_BY_TASK_STORE}
 * ((workload, task, grant) → grantId), {@value #GRANTS_BY_WORKLOAD_STORE} ((workload, grant) →
 * grantId), {@value #EXPIRY_INDEX_STORE} (expiresAt|grantId → grantId) and
 * {@value #HEARTBEAT_INDEX_STORE} (deadline|grantId → grantId), both range-scanned up to now so a
 * sweep costs what is due, {@value #TASK_HEARTBEATS_STORE} ((workload, task) → last heartbeat),
 * {@value #REVOKED_GRANTS_STORE} (grantId → its revocation), {@value #ENDED_TASKS_STORE}
 * ((workload, task) → the event that ended it), {@value #CONTEXT_CHANGES_STORE} ((workload,
 * eventId) → context event), {@value #REVOCATION_REQUESTS_STORE} ((workload, eventId) → request)
 * and {@value #RETENTION_INDEX_STORE} (forgetAt|store|id → store), which bounds the remembered
 * ones. Task ends, heartbeats, context changes and requests are remembered because the topics
 * race (context events and requests are read directly while grants take a repartition hop): an
 * event often arrives before the grant it concerns, and the grant is then revoked on arrival (or
 * gets the right heartbeat deadline).
 */
public final class RevocationTopology {

    public static final String GRANTS_SOURCE = "grants-source";
    public static final String GRANTS_KEYED_BY_WORKLOAD = "grants-keyed-by-workload";
    public static final String GRANTS_REPARTITION = "grants-rekeyed-by-workload";
    public static final String TASK_EVENTS_SOURCE = "task-events-source";
    public static final String TASK_EVENTS_KEYED_BY_WORKLOAD = "task-events-keyed-by-workload";
    public static final String TASK_EVENTS_REPARTITION = "task-events-rekeyed-by-workload";
    public static final String CONTEXT_EVENTS_SOURCE = "context-events-source";
    public static final String REVOCATION_REQUESTS_SOURCE = "revocation-requests-source";
    public static final String GRANT_INTAKE = "grant-intake";
    public static final String TASK_EVENT_INTAKE = "task-event-intake";
    public static final String CONTEXT_EVENT_INTAKE = "context-event-intake";
    public static final String REVOCATION_REQUEST_INTAKE = "revocation-request-intake";
    public static final String REVOCATIONS_FROM_TASK_EVENTS = "revocations-from-task-events";
    public static final String REVOCATIONS_FROM_CONTEXT_EVENTS = "revocations-from-context-events";
    public static final String REVOCATIONS_FROM_REVOCATION_REQUESTS = "revocations-from-revocation-requests";
    public static final String REVOCATIONS_SINK = "revocations-sink";

    /**
     * Prefixes of each input's validation nodes: {@code <input>-validation} (the split),
     * {@code <input>-validation-valid}, {@code <input>-validation-invalid}, {@code <input>-dead-letters}
     * and {@code <input>-dead-letters-sink}.
     */
    public static final String GRANTS_INPUT = "grants";
    public static final String TASK_EVENTS_INPUT = "task-events";
    public static final String CONTEXT_EVENTS_INPUT = "context-events";
    public static final String REVOCATION_REQUESTS_INPUT = "revocation-requests";

    public static final String ACTIVE_GRANTS_STORE = "active-grants";
    public static final String GRANTS_BY_TASK_STORE = "grants-by-task";
    public static final String GRANTS_BY_WORKLOAD_STORE = "grants-by-workload";
    public static final String EXPIRY_INDEX_STORE = "expiry-index";
    public static final String HEARTBEAT_INDEX_STORE = "heartbeat-index";
    public static final String TASK_HEARTBEATS_STORE = "task-heartbeats";
    public static final String REVOKED_GRANTS_STORE = "revoked-grants";
    public static final String ENDED_TASKS_STORE = "ended-tasks";
    public static final String CONTEXT_CHANGES_STORE = "context-changes";
    public static final String REVOCATION_REQUESTS_STORE = "revocation-requests";
    public static final String RETENTION_INDEX_STORE = "retention-index";

    /** The topics the revoker reads, which must be co-partitioned (same partition count). */
    public static final List<String> INPUT_TOPICS = List.of(Topics.GRANTS.name(), Topics.TASK_EVENTS.name(),
            Topics.CONTEXT_EVENTS.name(), Topics.REVOCATION_REQUESTS.name());

    private static final Logger LOG = LoggerFactory.getLogger(RevocationTopology.class);

    /** The value serdes of the event types: the registry's in production, plain Avro in tests. */
    public record EventSerdes(Serde<GrantIssued> grants, Serde<TaskEvent> taskEvents, Serde<ContextEvent> contextEvents,
                              Serde<RevocationRequest> revocationRequests, Serde<Revocation> revocations,
                              Serde<DeadLetter> deadLetters) {
        public EventSerdes {
            Objects.requireNonNull(grants, "grants");
            Objects.requireNonNull(taskEvents, "taskEvents");
            Objects.requireNonNull(contextEvents, "contextEvents");
            Objects.requireNonNull(revocationRequests, "revocationRequests");
            Objects.requireNonNull(revocations, "revocations");
            Objects.requireNonNull(deadLetters, "deadLetters");
        }
    }

    /**
     * @param expirySweepInterval    how often (wall clock) grants past their TTL or heartbeat deadline are revoked
     * @param retentionSweepInterval how often (wall clock) entries past their retention are forgotten
     * @param retention              how long ended tasks, heartbeats, context changes and requests are
     *                               remembered (so a late grant is revoked on arrival, or gets the right
     *                               deadline) and
     *                               revoked grants are remembered past the later of their revocation and
     *                               expiry (so a replayed grant is not revoked twice)
     * @param maxEntriesPerSweep     how many index entries one sweep handles at most (grants revoked, or
     *                               entries forgotten), so a mass expiry cannot stall a commit; the
     *                               rest is done by the next sweep
     * @param heartbeatGrace         added to a grant's heartbeat interval before it counts as missed,
     *                               for delivery delays
     */
    public record Settings(Duration expirySweepInterval, Duration retentionSweepInterval, Duration retention,
                           int maxEntriesPerSweep, Duration heartbeatGrace) {
        public Settings {
            requirePositive(expirySweepInterval, "expirySweepInterval");
            requirePositive(retentionSweepInterval, "retentionSweepInterval");
            requirePositive(retention, "retention");
            if (maxEntriesPerSweep < 1) {
                throw new IllegalArgumentException("maxEntriesPerSweep must be at least 1, was " + maxEntriesPerSweep);
            }
            Objects.requireNonNull(heartbeatGrace, "heartbeatGrace");
            if (heartbeatGrace.isNegative()) {
                throw new IllegalArgumentException("heartbeatGrace must not be negative, was " + heartbeatGrace);
            }
        }

        public static Settings defaults() {
            return new Settings(Duration.ofMillis(100), Duration.ofMinutes(1), Duration.ofHours(24), 10_000,
                    Duration.ofSeconds(5));
        }

        private static void requirePositive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + duration);
            }
        }
    }

    private RevocationTopology() {
    }

    /** The whole topology, on a builder of its own (tests, and anyone who runs it without Micronaut). */
    public static Topology build(EventSerdes serdes, RevocationMetrics metrics, Settings settings) {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder, serdes, metrics, settings);
        return builder.build();
    }

    /**
     * Adds the topology to {@code builder} (a framework may own the builder and the KafkaStreams
     * lifecycle) and returns the stream of revocations.
     */
    public static KStream<String, Revocation> addTo(StreamsBuilder builder, EventSerdes serdes,
                                                    RevocationMetrics metrics, Settings settings) {
        Objects.requireNonNull(serdes, "serdes");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(settings, "settings");
        List<StoreBuilder<?>> stores = storeBuilders(serdes);
        stores.forEach(builder::addStateStore);
        String[] storeNames = stores.stream().map(StoreBuilder::name).toArray(String[]::new);

        KStream<String, GrantIssued> grants = validated(
                builder.stream(Topics.GRANTS.name(), Consumed.with(Serdes.String(), serdes.grants()).withName(GRANTS_SOURCE)),
                GRANTS_INPUT, InputValidation::problemWith, serdes.grants(), serdes, metrics);
        KStream<String, Revocation> fromGrants = grants
                .selectKey((grantId, grant) -> {
                    if (!grant.getGrantId().equals(grantId)) {
                        LOG.warn("Grant {} of workload {} came with key {}, not its grant id; watching it anyway",
                                grant.getGrantId(), grant.getWorkloadId(), grantId);
                    }
                    return grant.getWorkloadId();
                }, Named.as(GRANTS_KEYED_BY_WORKLOAD))
                .repartition(Repartitioned.with(Serdes.String(), serdes.grants()).withName(GRANTS_REPARTITION))
                .process(() -> new GrantIntakeProcessor(metrics, settings), Named.as(GRANT_INTAKE), storeNames);

        KStream<String, TaskEvent> taskEvents = validated(
                builder.stream(Topics.TASK_EVENTS.name(),
                        Consumed.with(Serdes.String(), serdes.taskEvents()).withName(TASK_EVENTS_SOURCE)),
                TASK_EVENTS_INPUT, InputValidation::problemWith, serdes.taskEvents(), serdes, metrics);
        KStream<String, Revocation> fromTaskEvents = taskEvents
                .selectKey((taskId, event) -> {
                    if (!event.getTaskId().equals(taskId)) {
                        LOG.warn("Task event {} of task {} (workload {}) came with key {}, not its task id; taking it anyway",
                                event.getEventId(), event.getTaskId(), event.getWorkloadId(), taskId);
                    }
                    return event.getWorkloadId();
                }, Named.as(TASK_EVENTS_KEYED_BY_WORKLOAD))
                .repartition(Repartitioned.with(Serdes.String(), serdes.taskEvents()).withName(TASK_EVENTS_REPARTITION))
                .process(() -> new TaskEventProcessor(metrics, settings), Named.as(TASK_EVENT_INTAKE), storeNames);

        KStream<String, Revocation> fromContextEvents = validated(
                builder.stream(Topics.CONTEXT_EVENTS.name(),
                        Consumed.with(Serdes.String(), serdes.contextEvents()).withName(CONTEXT_EVENTS_SOURCE)),
                CONTEXT_EVENTS_INPUT, InputValidation::problemWith, serdes.contextEvents(), serdes, metrics)
                .process(() -> new ContextEventProcessor(metrics, settings), Named.as(CONTEXT_EVENT_INTAKE), storeNames);

        KStream<String, Revocation> fromRevocationRequests = validated(
                builder.stream(Topics.REVOCATION_REQUESTS.name(),
                        Consumed.with(Serdes.String(), serdes.revocationRequests()).withName(REVOCATION_REQUESTS_SOURCE)),
                REVOCATION_REQUESTS_INPUT, InputValidation::problemWith, serdes.revocationRequests(), serdes, metrics)
                .process(() -> new RevocationRequestProcessor(metrics, settings), Named.as(REVOCATION_REQUEST_INTAKE),
                        storeNames);

        KStream<String, Revocation> revocations = fromGrants
                .merge(fromTaskEvents, Named.as(REVOCATIONS_FROM_TASK_EVENTS))
                .merge(fromContextEvents, Named.as(REVOCATIONS_FROM_CONTEXT_EVENTS))
                .merge(fromRevocationRequests, Named.as(REVOCATIONS_FROM_REVOCATION_REQUESTS));
        revocations.to(Topics.REVOCATIONS.name(),
                Produced.with(Serdes.String(), serdes.revocations()).withName(REVOCATIONS_SINK));
        return revocations;
    }

    /**
     * Fails, naming every input topic's partition count, unless they are all equal: with unequal
     * counts a workload's grants and its events would land in different tasks, and events would
     * silently miss the grants they should revoke.
     *
     * @param partitionsByTopic the partition count of each of {@link #INPUT_TOPICS}
     */
    public static void requireCoPartitioned(Map<String, Integer> partitionsByTopic) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String topic : INPUT_TOPICS) {
            Integer partitions = partitionsByTopic.get(topic);
            if (partitions == null) {
                throw new IllegalStateException("input topic " + topic + " does not exist");
            }
            counts.put(topic, partitions);
        }
        if (counts.values().stream().distinct().count() > 1) {
            throw new IllegalStateException("the revoker's input topics must have the same number of partitions "
                    + "(they are partitioned by workload id together), but have " + counts);
        }
    }

    /**
     * Splits an input into the records the revoker can act on, returned, and the others, sent to
     * the dead-letter topic with the reason.
     */
    private static <V> KStream<String, V> validated(KStream<String, V> input, String inputName,
                                                    BiFunction<String, V, Optional<String>> problemWith,
                                                    Serde<V> valueSerde, EventSerdes serdes, RevocationMetrics metrics) {
        // The split node is named <input>-validation and its branches <input>-validation-valid / -invalid.
        String splitName = inputName + "-validation";
        Map<String, KStream<String, V>> branches = input
                .split(Named.as(splitName))
                .branch((key, value) -> problemWith.apply(key, value).isEmpty(), Branched.as("-valid"))
                .defaultBranch(Branched.as("-invalid"));
        branches.get(splitName + "-invalid")
                .processValues(() -> new InvalidRecordToDeadLetter<>(problemWith, valueSerde.serializer(), metrics),
                        Named.as(inputName + "-dead-letters"))
                .to(Topics.DEAD_LETTERS.name(), Produced.with(Serdes.String(), serdes.deadLetters())
                        .withName(inputName + "-dead-letters-sink"));
        return branches.get(splitName + "-valid");
    }

    private static List<StoreBuilder<?>> storeBuilders(EventSerdes serdes) {
        List<StoreBuilder<?>> stores = new ArrayList<>();
        stores.add(store(ACTIVE_GRANTS_STORE, serdes.grants()));
        stores.add(store(GRANTS_BY_TASK_STORE, Serdes.String()));
        stores.add(store(GRANTS_BY_WORKLOAD_STORE, Serdes.String()));
        stores.add(store(EXPIRY_INDEX_STORE, Serdes.String()));
        stores.add(store(HEARTBEAT_INDEX_STORE, Serdes.String()));
        stores.add(store(TASK_HEARTBEATS_STORE, Serdes.Long()));
        stores.add(store(REVOKED_GRANTS_STORE, serdes.revocations()));
        stores.add(store(ENDED_TASKS_STORE, serdes.taskEvents()));
        stores.add(store(CONTEXT_CHANGES_STORE, serdes.contextEvents()));
        stores.add(store(REVOCATION_REQUESTS_STORE, serdes.revocationRequests()));
        stores.add(store(RETENTION_INDEX_STORE, Serdes.String()));
        return stores;
    }

    private static <V> StoreBuilder<?> store(String name, Serde<V> valueSerde) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde);
    }
}
