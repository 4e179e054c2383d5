package io.jitbroker.revocation.topology;

import io.jitbroker.revocation.metrics.RevocationMetrics;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.streams.CompositeKey;
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
 * The state of the task side of the revoker, over its named stores (see {@link RevocationTopology}),
 * in one Streams task: one partition of task ids, with their grants, ends and heartbeats, every
 * revocation made, and the revoke commands that came before their grant. This is where every
 * per-grant decision is remembered: every change that must happen together (a grant leaves the
 * active set and every index, and is remembered as revoked) happens in one method, inside one
 * exactly-once transaction.
 */
final class TaskSideState {

    enum DeadlineKind { EXPIRY, HEARTBEAT }

    /** An entry of the expiry or heartbeat index that is due. */
    record Deadline(DeadlineKind kind, Instant at, String grantId, String indexKey) {
    }

    private static final Serializer<String> PREFIX_SERIALIZER = Serdes.String().serializer();

    private final KeyValueStore<String, GrantIssued> activeGrants;
    private final KeyValueStore<String, String> grantsByTask;
    private final KeyValueStore<String, String> expiryIndex;
    private final KeyValueStore<String, String> heartbeatIndex;
    private final KeyValueStore<String, Long> taskHeartbeats;
    private final KeyValueStore<String, Revocation> revokedGrants;
    private final KeyValueStore<String, TaskEvent> endedTasks;
    private final KeyValueStore<String, RevocationRequest> earlyCommands;
    private final RetentionIndex retention;
    private final Duration retentionPeriod;
    private final Duration heartbeatGrace;
    private final AtomicLong activeGrantCount;

    TaskSideState(ProcessorContext<?, ?> context, RevocationTopology.Settings settings, RevocationMetrics metrics) {
        this.activeGrants = context.getStateStore(RevocationTopology.ACTIVE_GRANTS_STORE);
        this.grantsByTask = context.getStateStore(RevocationTopology.GRANTS_BY_TASK_STORE);
        this.expiryIndex = context.getStateStore(RevocationTopology.EXPIRY_INDEX_STORE);
        this.heartbeatIndex = context.getStateStore(RevocationTopology.HEARTBEAT_INDEX_STORE);
        this.taskHeartbeats = context.getStateStore(RevocationTopology.TASK_HEARTBEATS_STORE);
        this.revokedGrants = context.getStateStore(RevocationTopology.REVOKED_GRANTS_STORE);
        this.endedTasks = context.getStateStore(RevocationTopology.ENDED_TASKS_STORE);
        this.earlyCommands = context.getStateStore(RevocationTopology.EARLY_REVOKE_COMMANDS_STORE);
        this.retention = new RetentionIndex(context.getStateStore(RevocationTopology.RETENTION_INDEX_STORE), Map.of(
                RevocationTopology.REVOKED_GRANTS_STORE, revokedGrants,
                RevocationTopology.ENDED_TASKS_STORE, endedTasks,
                RevocationTopology.TASK_HEARTBEATS_STORE, taskHeartbeats,
                RevocationTopology.EARLY_REVOKE_COMMANDS_STORE, earlyCommands));
        this.retentionPeriod = settings.retention();
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
        return !grant.getExpiresAt().plus(retentionPeriod).isAfter(now);
    }

    /** Starts watching a grant: for its task's end, its expiry, its heartbeats and revoke commands. */
    void track(GrantIssued grant) {
        String grantId = grant.getGrantId();
        activeGrants.put(grantId, grant);
        grantsByTask.put(CompositeKey.of(grant.getWorkloadId(), grant.getTaskId(), grantId), grantId);
        expiryIndex.put(TimeKey.of(grant.getExpiresAt(), grantId), grantId);
        if (requiresHeartbeats(grant)) {
            heartbeatIndex.put(TimeKey.of(heartbeatDeadlineOf(grant), grantId), grantId);
        }
        activeGrantCount.incrementAndGet();
    }

    /** The active grants of a workload's task, in a stable (index) order. */
    List<GrantIssued> activeGrantsOfTask(String workloadId, String taskId) {
        List<String> grantIds = new ArrayList<>();
        // The index is read first and the grants after, so no iterator is open while another store is read.
        try (KeyValueIterator<String, String> it = grantsByTask.prefixScan(CompositeKey.of(workloadId, taskId),
                PREFIX_SERIALIZER)) {
            it.forEachRemaining(entry -> grantIds.add(entry.value));
        }
        List<GrantIssued> grants = new ArrayList<>(grantIds.size());
        for (String grantId : grantIds) {
            activeGrant(grantId).ifPresent(grants::add);
        }
        return grants;
    }

    /**
     * The grant is revoked: it leaves the active set and its indexes (if it was watched: a grant
     * revoked on arrival never was), and is remembered as revoked until the later of its
     * revocation and its expiry, plus the retention (see {@link #isStale}).
     */
    void recordRevocation(GrantIssued grant, Revocation revocation) {
        String grantId = grant.getGrantId();
        if (activeGrants.delete(grantId) != null) { // a store's delete reads the old value anyway
            grantsByTask.delete(CompositeKey.of(grant.getWorkloadId(), grant.getTaskId(), grantId));
            expiryIndex.delete(TimeKey.of(grant.getExpiresAt(), grantId));
            if (requiresHeartbeats(grant)) {
                heartbeatIndex.delete(TimeKey.of(heartbeatDeadlineOf(grant), grantId));
            }
            activeGrantCount.decrementAndGet();
        }
        revokedGrants.put(grantId, revocation);
        Instant latest = revocation.getRevokedAt().isAfter(grant.getExpiresAt())
                ? revocation.getRevokedAt() : grant.getExpiresAt();
        retention.remember(RevocationTopology.REVOKED_GRANTS_STORE, grantId, latest.plus(retentionPeriod));
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
        retention.remember(RevocationTopology.ENDED_TASKS_STORE, key, now.plus(retentionPeriod));
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
                .filter(TaskSideState::requiresHeartbeats)
                .toList();
        for (GrantIssued grant : heartbeatGrants) {
            heartbeatIndex.delete(TimeKey.of(heartbeatDeadlineOf(grant), grant.getGrantId()));
        }
        previous.ifPresent(at -> retention.drop(RevocationTopology.TASK_HEARTBEATS_STORE, key, at.plus(retentionPeriod)));
        taskHeartbeats.put(key, beat.toEpochMilli());
        retention.remember(RevocationTopology.TASK_HEARTBEATS_STORE, key, beat.plus(retentionPeriod));
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

    // ---- revoke commands that came before their grant

    /** The first revoke command that named this grant before it arrived, if remembered. */
    Optional<RevocationRequest> earlyCommandFor(String grantId) {
        return Optional.ofNullable(earlyCommands.get(grantId));
    }

    /**
     * Remembers a command for a grant that has not arrived, for the retention, so the grant is
     * revoked on arrival. The first one stays (its reason wins, like the first event to reach an
     * active grant); returns whether this one was remembered.
     */
    boolean recordEarlyCommand(RevocationRequest command, Instant now) {
        if (earlyCommands.get(command.getGrantId()) != null) {
            return false;
        }
        earlyCommands.put(command.getGrantId(), command);
        retention.remember(RevocationTopology.EARLY_REVOKE_COMMANDS_STORE, command.getGrantId(), now.plus(retentionPeriod));
        return true;
    }

    // ---- deadlines and retention

    /**
     * Expiry and heartbeat deadlines at or before {@code now}, earliest first, at most {@code limit}:
     * a grant that missed its heartbeat before it expired is revoked for the heartbeat, even when
     * the revoker was down through both.
     */
    List<Deadline> dueDeadlines(Instant now, int limit) {
        List<Deadline> due = new ArrayList<>();
        for (KeyValue<String, String> entry : RetentionIndex.due(expiryIndex, now, limit)) {
            due.add(new Deadline(DeadlineKind.EXPIRY, TimeKey.timeOf(entry.key), entry.value, entry.key));
        }
        for (KeyValue<String, String> entry : RetentionIndex.due(heartbeatIndex, now, limit)) {
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

    /** Forgets revoked grants, ended tasks, heartbeats and early commands past their retention; returns how many. */
    int forgetPastRetention(Instant now, int limit) {
        return retention.forgetPastRetention(now, limit);
    }

    static boolean requiresHeartbeats(GrantIssued grant) {
        return grant.getHeartbeatIntervalSeconds() != null;
    }
}
