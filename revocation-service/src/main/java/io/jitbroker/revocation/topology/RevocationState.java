package io.jitbroker.revocation.topology;

import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.revocation.domain.CompositeKey;
import io.jitbroker.revocation.domain.Heartbeats;
import io.jitbroker.revocation.domain.TimeKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The revoker's state, over the named stores of {@link RevocationTopology}, in one Streams task:
 * one partition of workloads, with all their grants, tasks, heartbeats and context changes. Every
 * change that must happen together (a grant leaves the active set and every index, and is
 * remembered as revoked) happens in one method, inside one exactly-once transaction.
 *
 * <p>Tasks are scoped by workload ({@code (workloadId, taskId)}): a task id is chosen by its
 * workload, and another workload using the same id must neither end nor keep alive this one.
 */
final class RevocationState {

    /** What a due index entry is the deadline of. */
    enum DeadlineKind { EXPIRY, HEARTBEAT }

    /** An entry of the expiry or heartbeat index that is due. */
    record Deadline(DeadlineKind kind, Instant at, String grantId, String indexKey) {
    }

    private static final Serializer<String> PREFIX_SERIALIZER = Serdes.String().serializer();

    private final KeyValueStore<String, GrantIssued> activeGrants;
    private final KeyValueStore<String, String> grantsByTask;
    private final KeyValueStore<String, String> grantsByWorkload;
    private final KeyValueStore<String, String> expiryIndex;
    private final KeyValueStore<String, String> heartbeatIndex;
    private final KeyValueStore<String, Long> taskHeartbeats;
    private final KeyValueStore<String, Revocation> revokedGrants;
    private final KeyValueStore<String, TaskEvent> endedTasks;
    private final KeyValueStore<String, ContextEvent> contextChanges;
    private final KeyValueStore<String, RevocationRequest> revocationRequests;
    private final KeyValueStore<String, String> retentionIndex;
    private final Map<String, KeyValueStore<String, ?>> forgettable;
    private final Duration retention;
    private final Duration heartbeatGrace;
    private final AtomicLong activeGrantCount;

    RevocationState(ProcessorContext<?, ?> context, RevocationTopology.Settings settings, RevocationMetrics metrics) {
        this.activeGrants = context.getStateStore(RevocationTopology.ACTIVE_GRANTS_STORE);
        this.grantsByTask = context.getStateStore(RevocationTopology.GRANTS_BY_TASK_STORE);
        this.grantsByWorkload = context.getStateStore(RevocationTopology.GRANTS_BY_WORKLOAD_STORE);
        this.expiryIndex = context.getStateStore(RevocationTopology.EXPIRY_INDEX_STORE);
        this.heartbeatIndex = context.getStateStore(RevocationTopology.HEARTBEAT_INDEX_STORE);
        this.taskHeartbeats = context.getStateStore(RevocationTopology.TASK_HEARTBEATS_STORE);
        this.revokedGrants = context.getStateStore(RevocationTopology.REVOKED_GRANTS_STORE);
        this.endedTasks = context.getStateStore(RevocationTopology.ENDED_TASKS_STORE);
        this.contextChanges = context.getStateStore(RevocationTopology.CONTEXT_CHANGES_STORE);
        this.revocationRequests = context.getStateStore(RevocationTopology.REVOCATION_REQUESTS_STORE);
        this.retentionIndex = context.getStateStore(RevocationTopology.RETENTION_INDEX_STORE);
        this.forgettable = Map.of(
                RevocationTopology.REVOKED_GRANTS_STORE, revokedGrants,
                RevocationTopology.ENDED_TASKS_STORE, endedTasks,
                RevocationTopology.TASK_HEARTBEATS_STORE, taskHeartbeats,
                RevocationTopology.CONTEXT_CHANGES_STORE, contextChanges,
                RevocationTopology.REVOCATION_REQUESTS_STORE, revocationRequests);
        this.retention = settings.retention();
        this.heartbeatGrace = settings.heartbeatGrace();
        this.activeGrantCount = metrics.activeGrantsOf(context.taskId().toString());
    }

    // ---- grants

    Optional<GrantIssued> activeGrant(String grantId) {
        return Optional.ofNullable(activeGrants.get(grantId));
    }

    Optional<Revocation> revocationOf(String grantId) {
        return Optional.ofNullable(revokedGrants.get(grantId));
    }

    /**
     * Whether a grant is too old to act on: past its expiry by more than the retention, so it may
     * already have been revoked and forgotten (a replay); revoking it again would break "exactly one".
     */
    boolean isStale(GrantIssued grant, Instant now) {
        return !grant.getExpiresAt().plus(retention).isAfter(now);
    }

    /** Starts watching a grant: for its task's end, its workload's changes, its expiry and its heartbeats. */
    void track(GrantIssued grant) {
        String grantId = grant.getGrantId();
        activeGrants.put(grantId, grant);
        grantsByTask.put(CompositeKey.of(grant.getWorkloadId(), grant.getTaskId(), grantId), grantId);
        grantsByWorkload.put(CompositeKey.of(grant.getWorkloadId(), grantId), grantId);
        expiryIndex.put(TimeKey.of(grant.getExpiresAt(), grantId), grantId);
        if (requiresHeartbeats(grant)) {
            heartbeatIndex.put(TimeKey.of(heartbeatDeadlineOf(grant), grantId), grantId);
        }
        activeGrantCount.incrementAndGet();
    }

    /** The active grants of a workload's task, in a stable (index) order. */
    List<GrantIssued> activeGrantsOfTask(String workloadId, String taskId) {
        return activeGrantsIn(grantsByTask, CompositeKey.of(workloadId, taskId));
    }

    /** The active grants of a workload, in a stable (index) order. */
    List<GrantIssued> activeGrantsOfWorkload(String workloadId) {
        return activeGrantsIn(grantsByWorkload, CompositeKey.of(workloadId));
    }

    /**
     * The grant is revoked: it leaves the active set and its indexes (if it was watched: a grant
     * revoked on arrival never was), and is remembered as revoked until the later of its
     * revocation and its expiry, plus the retention (see {@link #isStale}).
     */
    void recordRevocation(GrantIssued grant, Revocation revocation) {
        String grantId = grant.getGrantId();
        if (activeGrants.get(grantId) != null) {
            activeGrants.delete(grantId);
            grantsByTask.delete(CompositeKey.of(grant.getWorkloadId(), grant.getTaskId(), grantId));
            grantsByWorkload.delete(CompositeKey.of(grant.getWorkloadId(), grantId));
            expiryIndex.delete(TimeKey.of(grant.getExpiresAt(), grantId));
            if (requiresHeartbeats(grant)) {
                heartbeatIndex.delete(TimeKey.of(heartbeatDeadlineOf(grant), grantId));
            }
            activeGrantCount.decrementAndGet();
        }
        revokedGrants.put(grantId, revocation);
        Instant latest = revocation.getRevokedAt().isAfter(grant.getExpiresAt())
                ? revocation.getRevokedAt() : grant.getExpiresAt();
        remember(RevocationTopology.REVOKED_GRANTS_STORE, grantId, latest.plus(retention));
    }

    /** Counts the active grants in the store: done once when the task starts, then kept up to date. */
    void recountActiveGrants() {
        long count = 0;
        try (KeyValueIterator<String, GrantIssued> all = activeGrants.all()) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        activeGrantCount.set(count);
    }

    // ---- tasks

    Optional<TaskEvent> endOf(String workloadId, String taskId) {
        return Optional.ofNullable(endedTasks.get(CompositeKey.of(workloadId, taskId)));
    }

    /** The task has ended: remembered for the retention, so grants that arrive late are revoked on arrival. */
    void recordEnd(TaskEvent end, Instant now) {
        String key = CompositeKey.of(end.getWorkloadId(), end.getTaskId());
        endedTasks.put(key, end);
        remember(RevocationTopology.ENDED_TASKS_STORE, key, now.plus(retention));
    }

    /** The task's last STARTED or HEARTBEAT (as {@link Heartbeats#effectiveBeat} counts it), if remembered. */
    Optional<Instant> lastHeartbeat(String workloadId, String taskId) {
        Long millis = taskHeartbeats.get(CompositeKey.of(workloadId, taskId));
        return millis == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    /**
     * The task is alive at {@code beat}: remembered (for grants that arrive later) and the
     * deadline of each of its heartbeat grants moves. A beat no later than the last one changes
     * nothing; returns whether this one moved the task forward.
     */
    boolean recordHeartbeat(String workloadId, String taskId, Instant beat) {
        String key = CompositeKey.of(workloadId, taskId);
        Optional<Instant> previous = lastHeartbeat(workloadId, taskId);
        if (previous.isPresent() && !beat.isAfter(previous.get())) {
            return false;
        }
        List<GrantIssued> heartbeatGrants = activeGrantsOfTask(workloadId, taskId).stream()
                .filter(RevocationState::requiresHeartbeats)
                .toList();
        for (GrantIssued grant : heartbeatGrants) {
            heartbeatIndex.delete(TimeKey.of(heartbeatDeadlineOf(grant), grant.getGrantId()));
        }
        previous.ifPresent(at -> forget(RevocationTopology.TASK_HEARTBEATS_STORE, key, at.plus(retention)));
        taskHeartbeats.put(key, beat.toEpochMilli());
        remember(RevocationTopology.TASK_HEARTBEATS_STORE, key, beat.plus(retention));
        for (GrantIssued grant : heartbeatGrants) {
            heartbeatIndex.put(TimeKey.of(heartbeatDeadlineOf(grant), grant.getGrantId()), grant.getGrantId());
        }
        return true;
    }

    /** When a heartbeat grant is due now, from its issue, the task's last heartbeat and the grace. */
    Instant heartbeatDeadlineOf(GrantIssued grant) {
        return Heartbeats.deadline(grant.getIssuedAt(), lastHeartbeat(grant.getWorkloadId(), grant.getTaskId()),
                Duration.ofSeconds(grant.getHeartbeatIntervalSeconds()), heartbeatGrace);
    }

    Duration heartbeatGrace() {
        return heartbeatGrace;
    }

    // ---- workload context

    Optional<ContextEvent> contextChange(String workloadId, String eventId) {
        return Optional.ofNullable(contextChanges.get(CompositeKey.of(workloadId, eventId)));
    }

    /** Remembered for the retention: a grant issued before the change that arrives after it is revoked on arrival. */
    void recordContextChange(ContextEvent change, Instant now) {
        String key = CompositeKey.of(change.getWorkloadId(), change.getEventId());
        contextChanges.put(key, change);
        remember(RevocationTopology.CONTEXT_CHANGES_STORE, key, now.plus(retention));
    }

    /** The remembered context changes of a workload, in a stable (index) order. */
    List<ContextEvent> contextChangesOf(String workloadId) {
        return valuesUnder(contextChanges, CompositeKey.of(workloadId));
    }

    // ---- revocation requests

    Optional<RevocationRequest> revocationRequest(String workloadId, String eventId) {
        return Optional.ofNullable(revocationRequests.get(CompositeKey.of(workloadId, eventId)));
    }

    /** Remembered for the retention: a grant it names that arrives after it is revoked on arrival. */
    void recordRevocationRequest(RevocationRequest request, Instant now) {
        String key = CompositeKey.of(request.getWorkloadId(), request.getEventId());
        revocationRequests.put(key, request);
        remember(RevocationTopology.REVOCATION_REQUESTS_STORE, key, now.plus(retention));
    }

    /** The remembered revocation requests of a workload, in a stable (index) order. */
    List<RevocationRequest> revocationRequestsOf(String workloadId) {
        return valuesUnder(revocationRequests, CompositeKey.of(workloadId));
    }

    // ---- deadlines and retention

    /**
     * Expiry and heartbeat deadlines at or before {@code now}, earliest first, at most {@code limit}:
     * a grant that missed its heartbeat before it expired is revoked for the heartbeat, even when
     * the revoker was down through both.
     */
    List<Deadline> dueDeadlines(Instant now, int limit) {
        List<Deadline> due = new ArrayList<>();
        for (KeyValue<String, String> entry : due(expiryIndex, now, limit)) {
            due.add(new Deadline(DeadlineKind.EXPIRY, TimeKey.timeOf(entry.key), entry.value, entry.key));
        }
        for (KeyValue<String, String> entry : due(heartbeatIndex, now, limit)) {
            due.add(new Deadline(DeadlineKind.HEARTBEAT, TimeKey.timeOf(entry.key), entry.value, entry.key));
        }
        due.sort(Comparator.comparing(Deadline::at));
        return due.size() <= limit ? due : due.subList(0, limit);
    }

    /** Removes an index entry that no longer stands for a deadline (its grant is gone, or its deadline moved). */
    void dropDeadline(Deadline deadline) {
        (deadline.kind() == DeadlineKind.EXPIRY ? expiryIndex : heartbeatIndex).delete(deadline.indexKey());
    }

    /** Puts a heartbeat grant back in the index at its current deadline (after a stale entry was dropped). */
    void reindexHeartbeat(GrantIssued grant) {
        heartbeatIndex.put(TimeKey.of(heartbeatDeadlineOf(grant), grant.getGrantId()), grant.getGrantId());
    }

    /** Forgets revoked grants, ended tasks, heartbeats, context changes and requests past their retention; returns how many. */
    int forgetPastRetention(Instant now, int limit) {
        List<KeyValue<String, String>> due = due(retentionIndex, now, limit);
        for (KeyValue<String, String> entry : due) {
            String storeName = entry.value;
            String id = TimeKey.idOf(entry.key).substring(storeName.length() + 1);
            KeyValueStore<String, ?> store = forgettable.get(storeName);
            if (store != null) {
                store.delete(id);
            }
            retentionIndex.delete(entry.key);
        }
        return due.size();
    }

    static boolean requiresHeartbeats(GrantIssued grant) {
        return grant.getHeartbeatIntervalSeconds() != null;
    }

    private void remember(String storeName, String id, Instant forgetAt) {
        retentionIndex.put(TimeKey.of(forgetAt, storeName + "|" + id), storeName);
    }

    private void forget(String storeName, String id, Instant forgetAt) {
        retentionIndex.delete(TimeKey.of(forgetAt, storeName + "|" + id));
    }

    private static <V> List<V> valuesUnder(KeyValueStore<String, V> store, String prefix) {
        List<V> values = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.prefixScan(prefix, PREFIX_SERIALIZER)) {
            it.forEachRemaining(entry -> values.add(entry.value));
        }
        return values;
    }

    /** Reads the index first and the grants after, so no iterator is open while another store is read. */
    private List<GrantIssued> activeGrantsIn(KeyValueStore<String, String> index, String prefix) {
        List<String> grantIds = new ArrayList<>();
        try (KeyValueIterator<String, String> it = index.prefixScan(prefix, PREFIX_SERIALIZER)) {
            it.forEachRemaining(entry -> grantIds.add(entry.value));
        }
        List<GrantIssued> grants = new ArrayList<>(grantIds.size());
        for (String grantId : grantIds) {
            activeGrant(grantId).ifPresent(grants::add);
        }
        return grants;
    }

    /** Reads the due entries first and changes the store after, so no iterator is open while it changes. */
    private static List<KeyValue<String, String>> due(KeyValueStore<String, String> index, Instant now, int limit) {
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = index.range(null, TimeKey.upperBoundThrough(now))) {
            while (it.hasNext() && due.size() < limit) {
                due.add(it.next());
            }
        }
        return due;
    }
}
