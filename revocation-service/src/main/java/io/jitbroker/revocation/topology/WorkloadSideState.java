package io.jitbroker.revocation.topology;

import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.streams.CompositeKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The state of the workload side of the revoker, over its named stores (see
 * {@link RevocationTopology}), in one Streams task: one partition of workload ids, with the grants
 * each workload was issued (until their expiry plus the retention), and its recent context
 * changes and revocation requests. It decides which grants an event covers; whether a grant is
 * still active is decided on the task side, which ignores a command for a grant it already revoked.
 */
final class WorkloadSideState {

    private static final Serializer<String> PREFIX_SERIALIZER = Serdes.String().serializer();

    private final KeyValueStore<String, GrantIssued> workloadGrants;
    private final KeyValueStore<String, ContextEvent> contextChanges;
    private final KeyValueStore<String, RevocationRequest> revocationRequests;
    private final RetentionIndex retention;
    private final Duration retentionPeriod;

    WorkloadSideState(ProcessorContext<?, ?> context, RevocationTopology.Settings settings) {
        this.workloadGrants = context.getStateStore(RevocationTopology.WORKLOAD_GRANTS_STORE);
        this.contextChanges = context.getStateStore(RevocationTopology.CONTEXT_CHANGES_STORE);
        this.revocationRequests = context.getStateStore(RevocationTopology.REVOCATION_REQUESTS_STORE);
        this.retention = new RetentionIndex(context.getStateStore(RevocationTopology.WORKLOAD_RETENTION_INDEX_STORE),
                Map.of(RevocationTopology.WORKLOAD_GRANTS_STORE, workloadGrants,
                        RevocationTopology.CONTEXT_CHANGES_STORE, contextChanges,
                        RevocationTopology.REVOCATION_REQUESTS_STORE, revocationRequests));
        this.retentionPeriod = settings.retention();
    }

    // ---- grants

    /** A grant of this workload, if it arrived and has not been forgotten (expiry plus retention). */
    Optional<GrantIssued> grant(String workloadId, String grantId) {
        return Optional.ofNullable(workloadGrants.get(CompositeKey.of(workloadId, grantId)));
    }

    /** Past its expiry by more than the retention: a replay, which the task side ignores too. */
    boolean isStale(GrantIssued grant, Instant now) {
        return !grant.getExpiresAt().plus(retentionPeriod).isAfter(now);
    }

    /** Indexes the grant under its workload until its expiry plus the retention. */
    void record(GrantIssued grant) {
        String key = CompositeKey.of(grant.getWorkloadId(), grant.getGrantId());
        workloadGrants.put(key, grant);
        retention.remember(RevocationTopology.WORKLOAD_GRANTS_STORE, key, grant.getExpiresAt().plus(retentionPeriod));
    }

    /**
     * The workload's grants that have not expired at {@code now}, in a stable (grant id) order.
     * Some may be revoked already (the task side says so, and ignores their commands).
     */
    List<GrantIssued> unexpiredGrantsOf(String workloadId, Instant now) {
        return valuesUnder(workloadGrants, CompositeKey.of(workloadId)).stream()
                .filter(grant -> grant.getExpiresAt().isAfter(now))
                .toList();
    }

    // ---- workload context

    Optional<ContextEvent> contextChange(String workloadId, String eventId) {
        return Optional.ofNullable(contextChanges.get(CompositeKey.of(workloadId, eventId)));
    }

    /** Remembered for the retention: a grant issued before the change that arrives after it is revoked too. */
    void recordContextChange(ContextEvent change, Instant now) {
        String key = CompositeKey.of(change.getWorkloadId(), change.getEventId());
        contextChanges.put(key, change);
        retention.remember(RevocationTopology.CONTEXT_CHANGES_STORE, key, now.plus(retentionPeriod));
    }

    /** The remembered context changes of a workload, in a stable (index) order. */
    List<ContextEvent> contextChangesOf(String workloadId) {
        return valuesUnder(contextChanges, CompositeKey.of(workloadId));
    }

    // ---- revocation requests

    Optional<RevocationRequest> revocationRequest(String workloadId, String eventId) {
        return Optional.ofNullable(revocationRequests.get(CompositeKey.of(workloadId, eventId)));
    }

    /** Remembered for the retention: a grant it covers that arrives after it is revoked too. */
    void recordRevocationRequest(RevocationRequest request, Instant now) {
        String key = CompositeKey.of(request.getWorkloadId(), request.getEventId());
        revocationRequests.put(key, request);
        retention.remember(RevocationTopology.REVOCATION_REQUESTS_STORE, key, now.plus(retentionPeriod));
    }

    /** The remembered revocation requests of a workload, in a stable (index) order. */
    List<RevocationRequest> revocationRequestsOf(String workloadId) {
        return valuesUnder(revocationRequests, CompositeKey.of(workloadId));
    }

    // ---- retention

    /** Forgets grants, context changes and requests past their retention; returns how many. */
    int forgetPastRetention(Instant now, int limit) {
        return retention.forgetPastRetention(now, limit);
    }

    private static <V> List<V> valuesUnder(KeyValueStore<String, V> store, String prefix) {
        List<V> values = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.prefixScan(prefix, PREFIX_SERIALIZER)) {
            it.forEachRemaining(entry -> values.add(entry.value));
        }
        return values;
    }
}
