package io.jitbroker.revocation.topology;

import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.revocation.domain.TimeKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The revoker's state, over the named stores of {@link RevocationTopology}, in one task (one
 * partition of co-partitioned grants and task events). Every change that must happen together
 * (a grant leaves the active set, its index entries go, it is remembered as revoked) happens in
 * one method, inside one exactly-once transaction.
 */
final class RevocationState {

    private final KeyValueStore<String, GrantIssued> activeGrants;
    private final KeyValueStore<String, List<String>> grantsByTask;
    private final KeyValueStore<String, String> expiryIndex;
    private final KeyValueStore<String, Revocation> revokedGrants;
    private final KeyValueStore<String, TaskEvent> endedTasks;
    private final KeyValueStore<String, String> retentionIndex;
    private final Duration retention;

    private RevocationState(ProcessorContext<?, ?> context, Duration retention) {
        this.activeGrants = context.getStateStore(RevocationTopology.ACTIVE_GRANTS_STORE);
        this.grantsByTask = context.getStateStore(RevocationTopology.GRANTS_BY_TASK_STORE);
        this.expiryIndex = context.getStateStore(RevocationTopology.EXPIRY_INDEX_STORE);
        this.revokedGrants = context.getStateStore(RevocationTopology.REVOKED_GRANTS_STORE);
        this.endedTasks = context.getStateStore(RevocationTopology.ENDED_TASKS_STORE);
        this.retentionIndex = context.getStateStore(RevocationTopology.RETENTION_INDEX_STORE);
        this.retention = retention;
    }

    static RevocationState of(ProcessorContext<?, ?> context, Duration retention) {
        return new RevocationState(context, retention);
    }

    Optional<GrantIssued> activeGrant(String grantId) {
        return Optional.ofNullable(activeGrants.get(grantId));
    }

    Optional<Revocation> revocationOf(String grantId) {
        return Optional.ofNullable(revokedGrants.get(grantId));
    }

    Optional<TaskEvent> endOf(String taskId) {
        return Optional.ofNullable(endedTasks.get(taskId));
    }

    /**
     * Whether a grant is too old to act on: past its expiry by more than the retention, so it may
     * already have been revoked and forgotten (a replay); revoking it again would break "exactly one".
     */
    boolean isStale(GrantIssued grant, Instant now) {
        return !grant.getExpiresAt().plus(retention).isAfter(now);
    }

    /** Starts watching a grant: for its task's end and for its expiry. */
    void track(GrantIssued grant) {
        activeGrants.put(grant.getGrantId(), grant);
        List<String> grantIds = new ArrayList<>(grantIdsOf(grant.getTaskId()));
        grantIds.add(grant.getGrantId());
        grantsByTask.put(grant.getTaskId(), grantIds);
        expiryIndex.put(TimeKey.of(grant.getExpiresAt(), grant.getGrantId()), grant.getGrantId());
    }

    /** The active grants of a task, in the order they arrived. */
    List<GrantIssued> activeGrantsOf(String taskId) {
        List<GrantIssued> grants = new ArrayList<>();
        for (String grantId : grantIdsOf(taskId)) {
            activeGrant(grantId).ifPresent(grants::add);
        }
        return grants;
    }

    /**
     * The grant is revoked: it leaves the active set and its indexes, and is remembered as revoked
     * until the later of its revocation and its expiry, plus the retention (see {@link #isStale}).
     */
    void recordRevocation(GrantIssued grant, Revocation revocation) {
        String grantId = grant.getGrantId();
        activeGrants.delete(grantId);
        expiryIndex.delete(TimeKey.of(grant.getExpiresAt(), grantId));
        List<String> remaining = new ArrayList<>(grantIdsOf(grant.getTaskId()));
        remaining.remove(grantId);
        if (remaining.isEmpty()) {
            grantsByTask.delete(grant.getTaskId());
        } else {
            grantsByTask.put(grant.getTaskId(), remaining);
        }
        revokedGrants.put(grantId, revocation);
        Instant latest = revocation.getRevokedAt().isAfter(grant.getExpiresAt())
                ? revocation.getRevokedAt() : grant.getExpiresAt();
        remember(RevocationTopology.REVOKED_GRANTS_STORE, grantId, latest.plus(retention));
    }

    /** The task has ended: remembered for the retention, so grants that arrive late are revoked on arrival. */
    void recordEnd(TaskEvent end, Instant now) {
        endedTasks.put(end.getTaskId(), end);
        remember(RevocationTopology.ENDED_TASKS_STORE, end.getTaskId(), now.plus(retention));
    }

    /** Ids of active grants whose expiry is at or before {@code now}, earliest first, at most {@code limit}. */
    List<String> dueForExpiry(Instant now, int limit) {
        List<KeyValue<String, String>> due = due(expiryIndex, now, limit);
        List<String> grantIds = new ArrayList<>(due.size());
        for (KeyValue<String, String> entry : due) {
            if (activeGrants.get(entry.value) == null) {
                expiryIndex.delete(entry.key); // no longer active: nothing to expire
            } else {
                grantIds.add(entry.value);
            }
        }
        return grantIds;
    }

    /** Forgets revoked grants and ended tasks whose retention has passed; returns how many. */
    int forgetPastRetention(Instant now, int limit) {
        List<KeyValue<String, String>> due = due(retentionIndex, now, limit);
        for (KeyValue<String, String> entry : due) {
            String storeName = entry.value;
            String id = TimeKey.idOf(entry.key).substring(storeName.length() + 1);
            if (RevocationTopology.REVOKED_GRANTS_STORE.equals(storeName)) {
                revokedGrants.delete(id);
            } else if (RevocationTopology.ENDED_TASKS_STORE.equals(storeName)) {
                endedTasks.delete(id);
            }
            retentionIndex.delete(entry.key);
        }
        return due.size();
    }

    private void remember(String storeName, String id, Instant forgetAt) {
        retentionIndex.put(TimeKey.of(forgetAt, storeName + "|" + id), storeName);
    }

    private List<String> grantIdsOf(String taskId) {
        List<String> grantIds = grantsByTask.get(taskId);
        return grantIds == null ? List.of() : grantIds;
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
