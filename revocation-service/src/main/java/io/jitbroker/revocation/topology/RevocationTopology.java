package io.jitbroker.revocation.topology;

import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
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
 * task's end (completed, failed, cancelled) or its TTL.
 *
 * <pre>
 * jit.grants.v1 (key grantId)
 *   → grants-without-tombstones → grants-keyed-by-task (selectKey taskId)
 *   → repartition grants-rekeyed-by-task → grant-intake ─────┐  both share the stores below
 * jit.task-events.v1 (key taskId) → task-event-intake ──────┤
 *                                        revocations-merge → jit.revocations.v1 (key grantId)
 * </pre>
 *
 * Grants are re-keyed by task id so that a task's grants and its events land in the same task
 * (co-partitioned: the repartition topic gets the partition count of jit.grants.v1, which must
 * equal that of jit.task-events.v1, as {@code Topics.newTopics} creates them). Both processors
 * share the stores; every name is fixed here because generated names shift when the topology
 * changes, and the state behind them would be lost.
 *
 * <p>Stores: {@value #ACTIVE_GRANTS_STORE} (grantId → grant, keyed by grant so other indexes,
 * e.g. by workload, can point into it), {@value #GRANTS_BY_TASK_STORE} (taskId → grant ids),
 * {@value #EXPIRY_INDEX_STORE} (expiresAt|grantId → grantId, range-scanned up to now),
 * {@value #REVOKED_GRANTS_STORE} (grantId → its revocation), {@value #ENDED_TASKS_STORE}
 * (taskId → the event that ended it) and {@value #RETENTION_INDEX_STORE}
 * (forgetAt|store|id → store), which bounds the last two.
 */
public final class RevocationTopology {

    public static final String GRANTS_SOURCE = "grants-source";
    public static final String GRANTS_WITHOUT_TOMBSTONES = "grants-without-tombstones";
    public static final String GRANTS_KEYED_BY_TASK = "grants-keyed-by-task";
    public static final String GRANTS_REPARTITION = "grants-rekeyed-by-task";
    public static final String TASK_EVENTS_SOURCE = "task-events-source";
    public static final String GRANT_INTAKE = "grant-intake";
    public static final String TASK_EVENT_INTAKE = "task-event-intake";
    public static final String REVOCATIONS_MERGE = "revocations-merge";
    public static final String REVOCATIONS_SINK = "revocations-sink";

    public static final String ACTIVE_GRANTS_STORE = "active-grants";
    public static final String GRANTS_BY_TASK_STORE = "grants-by-task";
    public static final String EXPIRY_INDEX_STORE = "expiry-index";
    public static final String REVOKED_GRANTS_STORE = "revoked-grants";
    public static final String ENDED_TASKS_STORE = "ended-tasks";
    public static final String RETENTION_INDEX_STORE = "retention-index";

    private static final Logger LOG = LoggerFactory.getLogger(RevocationTopology.class);

    /** The value serdes of the three event types: the registry's in production, plain Avro in tests. */
    public record EventSerdes(Serde<GrantIssued> grants, Serde<TaskEvent> taskEvents, Serde<Revocation> revocations) {
        public EventSerdes {
            Objects.requireNonNull(grants, "grants");
            Objects.requireNonNull(taskEvents, "taskEvents");
            Objects.requireNonNull(revocations, "revocations");
        }
    }

    /**
     * @param expirySweepInterval    how often (wall clock) due grants are revoked for TTL
     * @param retentionSweepInterval how often (wall clock) entries past their retention are forgotten
     * @param retention              how long ended tasks are remembered (so a late grant is revoked on
     *                               arrival) and revoked grants are remembered past the later of their
     *                               revocation and expiry (so a replayed grant is not revoked twice)
     * @param maxEntriesPerSweep     how many index entries one sweep handles at most (grants revoked, or
     *                               entries forgotten), so a mass expiry cannot stall a commit; the
     *                               rest is done by the next sweep
     */
    public record Settings(Duration expirySweepInterval, Duration retentionSweepInterval, Duration retention,
                           int maxEntriesPerSweep) {
        public Settings {
            requirePositive(expirySweepInterval, "expirySweepInterval");
            requirePositive(retentionSweepInterval, "retentionSweepInterval");
            requirePositive(retention, "retention");
            if (maxEntriesPerSweep < 1) {
                throw new IllegalArgumentException("maxEntriesPerSweep must be at least 1, was " + maxEntriesPerSweep);
            }
        }

        public static Settings defaults() {
            return new Settings(Duration.ofMillis(100), Duration.ofMinutes(1), Duration.ofHours(24), 10_000);
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

        KStream<String, Revocation> fromGrants = builder
                .stream(Topics.GRANTS.name(), Consumed.with(Serdes.String(), serdes.grants()).withName(GRANTS_SOURCE))
                .filter((grantId, grant) -> {
                    if (grant == null) {
                        LOG.warn("Ignoring an empty grant (tombstone) with key {}", grantId);
                    }
                    return grant != null;
                }, Named.as(GRANTS_WITHOUT_TOMBSTONES))
                .selectKey((grantId, grant) -> grant.getTaskId(), Named.as(GRANTS_KEYED_BY_TASK))
                .repartition(Repartitioned.with(Serdes.String(), serdes.grants()).withName(GRANTS_REPARTITION))
                .process(() -> new GrantIntakeProcessor(metrics, settings), Named.as(GRANT_INTAKE), storeNames);

        KStream<String, Revocation> fromTaskEvents = builder
                .stream(Topics.TASK_EVENTS.name(),
                        Consumed.with(Serdes.String(), serdes.taskEvents()).withName(TASK_EVENTS_SOURCE))
                .process(() -> new TaskEventProcessor(metrics, settings), Named.as(TASK_EVENT_INTAKE), storeNames);

        KStream<String, Revocation> revocations = fromGrants.merge(fromTaskEvents, Named.as(REVOCATIONS_MERGE));
        revocations.to(Topics.REVOCATIONS.name(),
                Produced.with(Serdes.String(), serdes.revocations()).withName(REVOCATIONS_SINK));
        return revocations;
    }

    private static List<StoreBuilder<?>> storeBuilders(EventSerdes serdes) {
        List<StoreBuilder<?>> stores = new ArrayList<>();
        stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ACTIVE_GRANTS_STORE),
                Serdes.String(), serdes.grants()));
        stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(GRANTS_BY_TASK_STORE),
                Serdes.String(), grantIdListSerde()));
        stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EXPIRY_INDEX_STORE),
                Serdes.String(), Serdes.String()));
        stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(REVOKED_GRANTS_STORE),
                Serdes.String(), serdes.revocations()));
        stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ENDED_TASKS_STORE),
                Serdes.String(), serdes.taskEvents()));
        stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RETENTION_INDEX_STORE),
                Serdes.String(), Serdes.String()));
        return stores;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Serde<List<String>> grantIdListSerde() {
        return Serdes.ListSerde(ArrayList.class, Serdes.String());
    }
}
