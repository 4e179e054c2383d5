package io.jitbroker.revocation.topology;

import io.jitbroker.kafka.KafkaTracing;
import io.jitbroker.streams.PromptCommit;
import io.jitbroker.streams.TracedProcessor;
import io.jitbroker.revocation.metrics.RevocationMetrics;
import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.revocation.domain.InputValidation;
import io.jitbroker.contracts.Topics;
import io.jitbroker.streams.ValidInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
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
 *   └valid┬→ grants-keyed-by-task → repartition grants-rekeyed-by-task ───────────→ grant-intake (task side)
 *         └→ grants-keyed-by-workload → repartition grants-rekeyed-by-workload → workload-grant-intake (workload side)
 *
 * TASK SIDE, partitioned by task id: grant-intake, task-event-intake, revoke-command-intake
 * jit.task-events.v1 (key taskId) → task-events-validation ─invalid→ ... → jit.dead-letters.v1
 *   └valid→ task-events-routing ─as keyed (key = taskId)──────────────────────────┐
 *             └misrouted→ task-events-keyed-by-task                                 ├→ task-events-by-task
 *                   → repartition task-events-rekeyed-by-task ──────────────────────┘   → task-event-intake
 * repartition revoke-commands-by-task → revoke-commands-validation ─invalid→ ... → jit.dead-letters.v1
 *   └valid→ revoke-command-intake
 * grant-intake, task-event-intake, revoke-command-intake → revocations-from-* (merges)
 *   → revocations-sink → jit.revocations.v1 (key grantId)
 *
 * WORKLOAD SIDE, partitioned by workload id: workload-grant-intake, context-event-intake, revocation-request-intake
 * jit.context-events.v1 (key workloadId) → context-events-validation ─invalid→ ... → jit.dead-letters.v1
 *   └valid→ context-event-intake
 * jit.revocation-requests.v1 (key workloadId) → revocation-requests-validation ─invalid→ ... → jit.dead-letters.v1
 *   └valid→ revocation-request-intake
 * workload-grant-intake, context-event-intake, revocation-request-intake → revoke-commands-from-* (merges)
 *   → repartition revoke-commands-by-task (key: the grant's taskId) → the task side
 * </pre>
 *
 * <p><b>Two sides, and why.</b> Exactly one revocation per grant is only cheap when every reason
 * that can revoke a grant is decided by the one Streams task that holds it: "already revoked?" is
 * then a local store read inside the task's exactly-once transaction. Every exactly-once hop costs
 * about a commit interval, so the hot path, a task's end, must reach that task straight from its
 * topic: the <b>task side</b> is partitioned by task id, like jit.task-events.v1, which it reads as
 * published. Grants are re-keyed by task id to join it; they are issued well before their tasks
 * end, so that hop is off the hot path (and a task end that wins the race is remembered). The task
 * side owns every per-grant decision and all the memory of "exactly once": task ends, TTLs and
 * missed heartbeats are decided there, and revoke commands are applied there like any other reason
 * (nothing if the grant is already revoked; remembered if it has not arrived, and applied on its
 * arrival). Task state is keyed by (workload, task), so two workloads that reuse a task id never end
 * each other's grants, and a task event only reaches grants of its own workload. A task event
 * published on a key other than its task id would sit on another task's partition: it is re-keyed
 * through task-events-rekeyed-by-task rather than dropped (that topic stays empty while producers
 * key by task id).
 *
 * <p>A context event (workload compromised) or a workload- or task-wide revocation request needs
 * all of a workload's grants, which the task side spreads over its partitions. The <b>workload
 * side</b>, partitioned by workload id, keeps an index of each workload's grants (re-keyed by
 * workload id), reads context events and revocation requests (keyed by workload id already; one on
 * another key is dead-lettered), picks the grants an event covers and sends one revoke command per
 * grant, keyed by the grant's task id, through the repartition topic revoke-commands-by-task. These
 * events are rare and take two hops; they are remembered for the retention, so a grant issued
 * before an event that reaches the workload side after it gets its command on arrival. The workload
 * index is not told about revocations: a command for a grant already revoked is ignored by the task
 * side, so a stale entry costs one ignored command, and entries are forgotten at expiry plus the
 * retention. A command is a {@link RevocationRequest} of scope GRANT (see
 * {@link io.jitbroker.revocation.domain.RevokeCommands}), in the registry's Avro like every event.
 *
 * <p><b>Co-partitioning.</b> Streams task p of a side reads partition p of each of its topics, so
 * the topics of a side must have equal partition counts ({@link #CO_PARTITIONED_TOPICS}). The task
 * side: jit.task-events.v1 and jit.grants.v1 (grants-rekeyed-by-task and task-events-rekeyed-by-task
 * take the counts of the topics they re-key; revoke-commands-by-task takes the workload side's). The
 * workload side: jit.context-events.v1, jit.revocation-requests.v1 and jit.grants.v1 (through
 * grants-rekeyed-by-workload). jit.grants.v1 is on both sides, so in effect all four input topics
 * must have the same count ({@code Topics.newTopics} creates them so; {@link #requireCoPartitioned}
 * checks it at start).
 *
 * <p>Every name is fixed here because generated names shift when the topology changes, and the
 * state and internal topics behind them would be lost. Task-side stores:
 * {@value #ACTIVE_GRANTS_STORE} (grantId → grant), {@value #GRANTS_BY_TASK_STORE}
 * ((workload, task, grant) → grantId), {@value #EXPIRY_INDEX_STORE} (expiresAt|grantId → grantId)
 * and {@value #HEARTBEAT_INDEX_STORE} (deadline|grantId → grantId), both range-scanned up to now so
 * a sweep costs what is due, {@value #TASK_HEARTBEATS_STORE} ((workload, task) → last heartbeat),
 * {@value #REVOKED_GRANTS_STORE} (grantId → its revocation), {@value #ENDED_TASKS_STORE}
 * ((workload, task) → the event that ended it), {@value #EARLY_REVOKE_COMMANDS_STORE} (grantId →
 * the first command that came before its grant) and {@value #RETENTION_INDEX_STORE}
 * (forgetAt|store|id → store), which bounds the remembered ones. Workload-side stores:
 * {@value #WORKLOAD_GRANTS_STORE} ((workload, grant) → grant), {@value #CONTEXT_CHANGES_STORE}
 * ((workload, eventId) → context event), {@value #REVOCATION_REQUESTS_STORE} ((workload, eventId) →
 * request) and {@value #WORKLOAD_RETENTION_INDEX_STORE}, which bounds all three. Changing how a
 * store is partitioned or keyed breaks the state of a running deployment: reset the application
 * (Kafka's streams reset tool) before deploying such a change.
 */
public final class RevocationTopology {

    public static final String GRANTS_SOURCE = "grants-source";
    public static final String GRANTS_KEYED_BY_TASK = "grants-keyed-by-task";
    public static final String GRANTS_BY_TASK_REPARTITION = "grants-rekeyed-by-task";
    public static final String GRANTS_KEYED_BY_WORKLOAD = "grants-keyed-by-workload";
    public static final String GRANTS_BY_WORKLOAD_REPARTITION = "grants-rekeyed-by-workload";

    // Task side
    public static final String TASK_EVENTS_SOURCE = "task-events-source";
    /** Splits task events into {@code -as-keyed} (key = taskId, the normal case) and {@code -misrouted}. */
    public static final String TASK_EVENTS_ROUTING = "task-events-routing";
    public static final String TASK_EVENTS_KEYED_BY_TASK = "task-events-keyed-by-task";
    public static final String TASK_EVENTS_REPARTITION = "task-events-rekeyed-by-task";
    public static final String TASK_EVENTS_BY_TASK = "task-events-by-task";
    public static final String REVOKE_COMMANDS_REPARTITION = "revoke-commands-by-task";
    public static final String GRANT_INTAKE = "grant-intake";
    public static final String TASK_EVENT_INTAKE = "task-event-intake";
    public static final String REVOKE_COMMAND_INTAKE = "revoke-command-intake";
    public static final String REVOCATIONS_FROM_TASK_EVENTS = "revocations-from-task-events";
    public static final String REVOCATIONS_FROM_REVOKE_COMMANDS = "revocations-from-revoke-commands";
    public static final String REVOCATIONS_SINK = "revocations-sink";

    // Workload side
    public static final String CONTEXT_EVENTS_SOURCE = "context-events-source";
    public static final String REVOCATION_REQUESTS_SOURCE = "revocation-requests-source";
    public static final String WORKLOAD_GRANT_INTAKE = "workload-grant-intake";
    public static final String CONTEXT_EVENT_INTAKE = "context-event-intake";
    public static final String REVOCATION_REQUEST_INTAKE = "revocation-request-intake";
    public static final String REVOKE_COMMANDS_FROM_CONTEXT_EVENTS = "revoke-commands-from-context-events";
    public static final String REVOKE_COMMANDS_FROM_REVOCATION_REQUESTS = "revoke-commands-from-revocation-requests";

    /**
     * Prefixes of each input's validation nodes: {@code <input>-validation} (the split),
     * {@code <input>-validation-valid}, {@code <input>-validation-invalid}, {@code <input>-dead-letters}
     * and {@code <input>-dead-letters-sink}.
     */
    public static final String GRANTS_INPUT = "grants";
    public static final String TASK_EVENTS_INPUT = "task-events";
    public static final String CONTEXT_EVENTS_INPUT = "context-events";
    public static final String REVOCATION_REQUESTS_INPUT = "revocation-requests";
    public static final String REVOKE_COMMANDS_INPUT = "revoke-commands";

    // Task-side stores
    public static final String ACTIVE_GRANTS_STORE = "active-grants";
    public static final String GRANTS_BY_TASK_STORE = "grants-by-task";
    public static final String EXPIRY_INDEX_STORE = "expiry-index";
    public static final String HEARTBEAT_INDEX_STORE = "heartbeat-index";
    public static final String TASK_HEARTBEATS_STORE = "task-heartbeats";
    public static final String REVOKED_GRANTS_STORE = "revoked-grants";
    public static final String ENDED_TASKS_STORE = "ended-tasks";
    public static final String EARLY_REVOKE_COMMANDS_STORE = "early-revoke-commands";
    public static final String RETENTION_INDEX_STORE = "retention-index";

    // Workload-side stores
    public static final String WORKLOAD_GRANTS_STORE = "workload-grants";
    public static final String CONTEXT_CHANGES_STORE = "context-changes";
    public static final String REVOCATION_REQUESTS_STORE = "revocation-requests";
    public static final String WORKLOAD_RETENTION_INDEX_STORE = "workload-retention-index";

    /**
     * The input topics that must have equal partition counts, by the key their side is partitioned
     * by (see the class comment): jit.grants.v1 is in both, so in effect all four must be equal.
     */
    public static final Map<String, List<String>> CO_PARTITIONED_TOPICS = coPartitionedTopics();

    /** Every topic the revoker reads. */
    public static final List<String> INPUT_TOPICS = List.of(Topics.GRANTS.name(), Topics.TASK_EVENTS.name(),
            Topics.CONTEXT_EVENTS.name(), Topics.REVOCATION_REQUESTS.name());

    private static final Logger LOG = LoggerFactory.getLogger(RevocationTopology.class);

    /**
     * The value serdes of the event types: the registry's in production, plain Avro in tests.
     * {@code revocationRequests} also writes and reads the internal revoke commands.
     */
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
     * @param retention              how long ended tasks, heartbeats, context changes, requests and early
     *                               revoke commands are remembered (so a late grant is revoked on arrival,
     *                               or gets the right deadline), and how long revoked grants (and the
     *                               workload side's grant index) are remembered past the later of their
     *                               revocation and expiry (so a replayed grant is not revoked twice)
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
        return build(serdes, metrics, settings, KafkaTracing.NOOP);
    }

    /** @param tracing each input's handling is a span, child of the record's trace context (revocations carry it on) */
    public static Topology build(EventSerdes serdes, RevocationMetrics metrics, Settings settings, KafkaTracing tracing) {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder, serdes, metrics, settings, tracing);
        return builder.build();
    }

    /**
     * Adds the topology to {@code builder} (a framework may own the builder and the KafkaStreams
     * lifecycle) and returns the stream of revocations.
     */
    public static KStream<String, Revocation> addTo(StreamsBuilder builder, EventSerdes serdes,
                                                    RevocationMetrics metrics, Settings settings) {
        return addTo(builder, serdes, metrics, settings, KafkaTracing.NOOP);
    }

    /** As {@link #addTo(StreamsBuilder, EventSerdes, RevocationMetrics, Settings)}, each intake traced. */
    public static KStream<String, Revocation> addTo(StreamsBuilder builder, EventSerdes serdes,
                                                    RevocationMetrics metrics, Settings settings, KafkaTracing tracing) {
        Objects.requireNonNull(serdes, "serdes");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(settings, "settings");
        String[] taskSideStores = addStores(builder, taskSideStoreBuilders(serdes));
        String[] workloadSideStores = addStores(builder, workloadSideStoreBuilders(serdes));

        KStream<String, GrantIssued> grants = validated(
                builder.stream(Topics.GRANTS.name(), Consumed.with(Serdes.String(), serdes.grants()).withName(GRANTS_SOURCE)),
                GRANTS_INPUT, InputValidation::problemWith, serdes.grants(), serdes, metrics);

        // Task side: grants, task events and revoke commands, by task id.
        KStream<String, Revocation> fromGrants = grants
                .selectKey((grantId, grant) -> {
                    if (!grant.getGrantId().equals(grantId)) {
                        LOG.warn("Grant {} of workload {} came with key {}, not its grant id; watching it anyway",
                                grant.getGrantId(), grant.getWorkloadId(), grantId);
                    }
                    return grant.getTaskId();
                }, Named.as(GRANTS_KEYED_BY_TASK))
                .repartition(Repartitioned.with(Serdes.String(), serdes.grants()).withName(GRANTS_BY_TASK_REPARTITION))
                .process(TracedProcessor.of(tracing, "revocation " + GRANT_INTAKE,
                        PromptCommit.of(() -> new GrantIntakeProcessor(metrics, settings))),
                        Named.as(GRANT_INTAKE), taskSideStores);

        KStream<String, Revocation> fromTaskEvents = byTaskId(validated(
                        builder.stream(Topics.TASK_EVENTS.name(),
                                Consumed.with(Serdes.String(), serdes.taskEvents()).withName(TASK_EVENTS_SOURCE)),
                        TASK_EVENTS_INPUT, InputValidation::problemWith, serdes.taskEvents(), serdes, metrics),
                serdes)
                .process(TracedProcessor.of(tracing, "revocation " + TASK_EVENT_INTAKE,
                        PromptCommit.of(() -> new TaskEventProcessor(metrics, settings))),
                        Named.as(TASK_EVENT_INTAKE), taskSideStores);

        // Workload side: grants, context events and revocation requests, by workload id; out come revoke commands.
        KStream<String, RevocationRequest> commandsForLateGrants = grants
                .selectKey((grantId, grant) -> grant.getWorkloadId(), Named.as(GRANTS_KEYED_BY_WORKLOAD))
                .repartition(Repartitioned.with(Serdes.String(), serdes.grants()).withName(GRANTS_BY_WORKLOAD_REPARTITION))
                .process(TracedProcessor.of(tracing, "revocation " + WORKLOAD_GRANT_INTAKE,
                        PromptCommit.of(() -> new WorkloadGrantIntakeProcessor(settings))),
                        Named.as(WORKLOAD_GRANT_INTAKE),
                        workloadSideStores);

        KStream<String, RevocationRequest> commandsFromContextEvents = validated(
                builder.stream(Topics.CONTEXT_EVENTS.name(),
                        Consumed.with(Serdes.String(), serdes.contextEvents()).withName(CONTEXT_EVENTS_SOURCE)),
                CONTEXT_EVENTS_INPUT, InputValidation::problemWith, serdes.contextEvents(), serdes, metrics)
                .process(TracedProcessor.of(tracing, "revocation " + CONTEXT_EVENT_INTAKE,
                        PromptCommit.of(() -> new ContextEventProcessor(metrics, settings))),
                        Named.as(CONTEXT_EVENT_INTAKE),
                        workloadSideStores);

        KStream<String, RevocationRequest> commandsFromRequests = validated(
                builder.stream(Topics.REVOCATION_REQUESTS.name(),
                        Consumed.with(Serdes.String(), serdes.revocationRequests()).withName(REVOCATION_REQUESTS_SOURCE)),
                REVOCATION_REQUESTS_INPUT, InputValidation::problemWith, serdes.revocationRequests(), serdes, metrics)
                .process(TracedProcessor.of(tracing, "revocation " + REVOCATION_REQUEST_INTAKE,
                        PromptCommit.of(() -> new RevocationRequestProcessor(metrics, settings))),
                        Named.as(REVOCATION_REQUEST_INTAKE),
                        workloadSideStores);

        // Back to the task side: one command per covered grant, by the grant's task id.
        KStream<String, Revocation> fromCommands = validated(
                commandsForLateGrants
                        .merge(commandsFromContextEvents, Named.as(REVOKE_COMMANDS_FROM_CONTEXT_EVENTS))
                        .merge(commandsFromRequests, Named.as(REVOKE_COMMANDS_FROM_REVOCATION_REQUESTS))
                        .repartition(Repartitioned.with(Serdes.String(), serdes.revocationRequests())
                                .withName(REVOKE_COMMANDS_REPARTITION)),
                REVOKE_COMMANDS_INPUT, InputValidation::problemWithRevokeCommand, serdes.revocationRequests(), serdes,
                metrics)
                .process(TracedProcessor.of(tracing, "revocation " + REVOKE_COMMAND_INTAKE,
                        PromptCommit.of(() -> new RevokeCommandProcessor(metrics, settings))),
                        Named.as(REVOKE_COMMAND_INTAKE),
                        taskSideStores);

        KStream<String, Revocation> revocations = fromGrants
                .merge(fromTaskEvents, Named.as(REVOCATIONS_FROM_TASK_EVENTS))
                .merge(fromCommands, Named.as(REVOCATIONS_FROM_REVOKE_COMMANDS));
        revocations.to(Topics.REVOCATIONS.name(),
                Produced.with(Serdes.String(), serdes.revocations()).withName(REVOCATIONS_SINK));
        return revocations;
    }

    /**
     * Fails, naming the partition counts, unless the topics of each side are co-partitioned (see
     * {@link #CO_PARTITIONED_TOPICS}): with unequal counts a task's (or a workload's) grants and its
     * events would land in different Streams tasks, and events would silently miss the grants they
     * should revoke.
     *
     * @param partitionsByTopic the partition count of each of {@link #INPUT_TOPICS}
     */
    public static void requireCoPartitioned(Map<String, Integer> partitionsByTopic) {
        for (String topic : INPUT_TOPICS) {
            if (partitionsByTopic.get(topic) == null) {
                throw new IllegalStateException("input topic " + topic + " does not exist");
            }
        }
        for (Map.Entry<String, List<String>> side : CO_PARTITIONED_TOPICS.entrySet()) {
            Map<String, Integer> counts = new TreeMap<>();
            side.getValue().forEach(topic -> counts.put(topic, partitionsByTopic.get(topic)));
            if (counts.values().stream().distinct().count() > 1) {
                throw new IllegalStateException("the revoker's input topics partitioned by " + side.getKey()
                        + " must have the same number of partitions, but have " + counts);
            }
        }
    }

    /**
     * Task events are keyed by task id, and read as they are: the hot path takes no extra hop. One
     * published on another key would sit on another task's partition, so it is re-keyed instead.
     */
    private static KStream<String, TaskEvent> byTaskId(KStream<String, TaskEvent> taskEvents, EventSerdes serdes) {
        Map<String, KStream<String, TaskEvent>> routes = taskEvents
                .split(Named.as(TASK_EVENTS_ROUTING))
                .branch((taskId, event) -> event.getTaskId().equals(taskId), Branched.as("-as-keyed"))
                .defaultBranch(Branched.as("-misrouted"));
        KStream<String, TaskEvent> rekeyed = routes.get(TASK_EVENTS_ROUTING + "-misrouted")
                .selectKey((key, event) -> {
                    LOG.warn("Task event {} of task {} (workload {}) came with key {}, not its task id; re-keying it",
                            event.getEventId(), event.getTaskId(), event.getWorkloadId(), key);
                    return event.getTaskId();
                }, Named.as(TASK_EVENTS_KEYED_BY_TASK))
                .repartition(Repartitioned.with(Serdes.String(), serdes.taskEvents()).withName(TASK_EVENTS_REPARTITION));
        return routes.get(TASK_EVENTS_ROUTING + "-as-keyed").merge(rekeyed, Named.as(TASK_EVENTS_BY_TASK));
    }

    private static <V> KStream<String, V> validated(KStream<String, V> input, String inputName,
                                                    BiFunction<String, V, Optional<String>> problemWith,
                                                    Serde<V> valueSerde, EventSerdes serdes, RevocationMetrics metrics) {
        return ValidInput.of(input, inputName, problemWith, valueSerde, serdes.deadLetters(), metrics);
    }

    private static Map<String, List<String>> coPartitionedTopics() {
        Map<String, List<String>> sides = new LinkedHashMap<>();
        sides.put("task id", List.of(Topics.GRANTS.name(), Topics.TASK_EVENTS.name()));
        sides.put("workload id", List.of(Topics.GRANTS.name(), Topics.CONTEXT_EVENTS.name(),
                Topics.REVOCATION_REQUESTS.name()));
        return Collections.unmodifiableMap(sides);
    }

    private static String[] addStores(StreamsBuilder builder, List<StoreBuilder<?>> stores) {
        stores.forEach(builder::addStateStore);
        return stores.stream().map(StoreBuilder::name).toArray(String[]::new);
    }

    private static List<StoreBuilder<?>> taskSideStoreBuilders(EventSerdes serdes) {
        List<StoreBuilder<?>> stores = new ArrayList<>();
        stores.add(store(ACTIVE_GRANTS_STORE, serdes.grants()));
        stores.add(store(GRANTS_BY_TASK_STORE, Serdes.String()));
        stores.add(store(EXPIRY_INDEX_STORE, Serdes.String()));
        stores.add(store(HEARTBEAT_INDEX_STORE, Serdes.String()));
        stores.add(store(TASK_HEARTBEATS_STORE, Serdes.Long()));
        stores.add(store(REVOKED_GRANTS_STORE, serdes.revocations()));
        stores.add(store(ENDED_TASKS_STORE, serdes.taskEvents()));
        stores.add(store(EARLY_REVOKE_COMMANDS_STORE, serdes.revocationRequests()));
        stores.add(store(RETENTION_INDEX_STORE, Serdes.String()));
        return stores;
    }

    private static List<StoreBuilder<?>> workloadSideStoreBuilders(EventSerdes serdes) {
        List<StoreBuilder<?>> stores = new ArrayList<>();
        stores.add(store(WORKLOAD_GRANTS_STORE, serdes.grants()));
        stores.add(store(CONTEXT_CHANGES_STORE, serdes.contextEvents()));
        stores.add(store(REVOCATION_REQUESTS_STORE, serdes.revocationRequests()));
        stores.add(store(WORKLOAD_RETENTION_INDEX_STORE, Serdes.String()));
        return stores;
    }

    private static <V> StoreBuilder<?> store(String name, Serde<V> valueSerde) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde);
    }
}
