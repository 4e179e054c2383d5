package io.jitbroker.policy.topology;

import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.events.v1.AccessRequest;
import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.policy.domain.ActiveGrant;
import io.jitbroker.streams.CompositeKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What policy-service knows of one partition's workloads, in its Streams stores (see
 * {@link PolicyTopology} for each store). Every key starts with the workload id
 * ({@link CompositeKey}), so a prefix scan finds one workload's entries and nothing else.
 *
 * <p>A workload's active grants are its approved decisions (reserved the moment they are made, so
 * two racing requests cannot both slip under a cap) that have not been revoked and have not
 * expired; a grant whose decision this service has not seen (state reset) counts as well.
 */
final class PolicyState {

    private static final StringSerializer KEYS = new StringSerializer();
    static final String APPLIED_VERSION = "applied-version";
    /** The environment part of a compromise that bars every environment (environments are never blank). */
    private static final String ALL_ENVIRONMENTS = "";
    static final String REEVALUATION_CURSOR = "reevaluation-cursor";

    private final KeyValueStore<String, AccessRequest> requests;
    private final KeyValueStore<String, AccessDecision> approved;
    private final KeyValueStore<String, AccessDecision> pending;
    private final KeyValueStore<String, GrantIssued> grants;
    private final KeyValueStore<String, Revocation> revoked;
    private final KeyValueStore<String, ContextEvent> compromises;
    private final KeyValueStore<String, String> progress;

    PolicyState(ProcessingContext context) {
        this.requests = context.getStateStore(PolicyTopology.REQUESTS_STORE);
        this.approved = context.getStateStore(PolicyTopology.APPROVED_STORE);
        this.pending = context.getStateStore(PolicyTopology.PENDING_STORE);
        this.grants = context.getStateStore(PolicyTopology.GRANTS_STORE);
        this.revoked = context.getStateStore(PolicyTopology.REVOKED_STORE);
        this.compromises = context.getStateStore(PolicyTopology.COMPROMISES_STORE);
        this.progress = context.getStateStore(PolicyTopology.PROGRESS_STORE);
    }

    static String keyOf(String workloadId, String requestId) {
        return CompositeKey.of(workloadId, requestId);
    }

    /** Whether this request has been decided (or is waiting for a human) already: a redelivery. */
    boolean knows(String workloadId, String requestId) {
        String key = keyOf(workloadId, requestId);
        return approved.get(key) != null || pending.get(key) != null || revoked.get(key) != null;
    }

    /** The workload's live grants (reserved, awaiting approval or issued), in key order. */
    List<ActiveGrant> activeGrantsOf(String workloadId, Instant now) {
        List<ActiveGrant> active = new ArrayList<>();
        String prefix = CompositeKey.of(workloadId);
        try (KeyValueIterator<String, AccessDecision> entries = approved.prefixScan(prefix, KEYS)) {
            entries.forEachRemaining(entry -> {
                if (isLive(entry.key, entry.value, now)) {
                    active.add(new ActiveGrant(entry.value.getRequestId(), entry.value.getTaskId(),
                            entry.value.getEnvironment()));
                }
            });
        }
        // Waiting for a human counts too: a flood of requests cannot queue past a cap.
        try (KeyValueIterator<String, AccessDecision> entries = pending.prefixScan(prefix, KEYS)) {
            entries.forEachRemaining(entry -> active.add(new ActiveGrant(entry.value.getRequestId(),
                    entry.value.getTaskId(), entry.value.getEnvironment())));
        }
        try (KeyValueIterator<String, GrantIssued> entries = grants.prefixScan(prefix, KEYS)) {
            entries.forEachRemaining(entry -> {
                GrantIssued grant = entry.value;
                if (approved.get(entry.key) == null && grant.getExpiresAt().isAfter(now)) {
                    active.add(new ActiveGrant(grant.getRequestId(), grant.getTaskId(), grant.getEnvironment()));
                }
            });
        }
        return active;
    }

    /** The compromise that bars this workload from the environment (or from all), if any. */
    Optional<ContextEvent> compromiseOf(String workloadId, String environment) {
        ContextEvent everywhere = compromises.get(CompositeKey.of(workloadId, ALL_ENVIRONMENTS));
        return Optional.ofNullable(everywhere != null ? everywhere
                : compromises.get(CompositeKey.of(workloadId, environment)));
    }

    void markCompromised(ContextEvent event) {
        String environment = event.getEnvironment() == null ? ALL_ENVIRONMENTS : event.getEnvironment();
        compromises.put(CompositeKey.of(event.getWorkloadId(), environment), event);
    }

    /** Lifts the marks a clearance covers: all of the workload's, or one environment's. */
    int clear(ContextEvent clearance) {
        List<String> keys = new ArrayList<>();
        String prefix = clearance.getEnvironment() == null
                ? CompositeKey.of(clearance.getWorkloadId())
                : CompositeKey.of(clearance.getWorkloadId(), clearance.getEnvironment());
        try (KeyValueIterator<String, ContextEvent> entries = compromises.prefixScan(prefix, KEYS)) {
            entries.forEachRemaining(entry -> keys.add(entry.key));
        }
        keys.forEach(compromises::delete);
        return keys.size();
    }

    void reserve(AccessRequest request, AccessDecision decision) {
        String key = keyOf(request.getWorkloadId(), request.getRequestId());
        requests.put(key, request);
        approved.put(key, decision);
    }

    void awaitApproval(AccessRequest request, AccessDecision decision) {
        String key = keyOf(request.getWorkloadId(), request.getRequestId());
        requests.put(key, request);
        pending.put(key, decision);
    }

    Optional<AccessDecision> pendingDecision(String workloadId, String requestId) {
        return Optional.ofNullable(pending.get(keyOf(workloadId, requestId)));
    }

    Optional<AccessRequest> request(String workloadId, String requestId) {
        return Optional.ofNullable(requests.get(keyOf(workloadId, requestId)));
    }

    /** A pending request was decided (or expired): it waits no more; approved, it is reserved by the caller. */
    void closePending(String workloadId, String requestId) {
        String key = keyOf(workloadId, requestId);
        pending.delete(key);
        if (approved.get(key) == null) {
            requests.delete(key);
        }
    }

    /** Pending requests whose deadline has passed, at most {@code limit}. */
    List<AccessDecision> overdueApprovals(Instant now, int limit) {
        List<AccessDecision> overdue = new ArrayList<>();
        try (KeyValueIterator<String, AccessDecision> entries = pending.all()) {
            while (entries.hasNext() && overdue.size() < limit) {
                AccessDecision decision = entries.next().value;
                if (decision.getApprovalDeadline() == null || !decision.getApprovalDeadline().isAfter(now)) {
                    overdue.add(decision);
                }
            }
        }
        return overdue;
    }

    /** Records an issued grant; false when it was revoked before it got here (nothing to record). */
    boolean recordGrant(GrantIssued grant) {
        String key = keyOf(grant.getWorkloadId(), grant.getRequestId());
        if (revoked.get(key) != null) {
            return false;
        }
        grants.put(key, grant);
        return true;
    }

    Optional<AccessDecision> approvedDecision(String workloadId, String requestId) {
        return Optional.ofNullable(approved.get(keyOf(workloadId, requestId)));
    }

    /** Forgets a revoked grant, keeping a marker until its expiry in case the grant itself arrives later. */
    void recordRevocation(Revocation revocation) {
        String key = keyOf(revocation.getWorkloadId(), revocation.getRequestId());
        revoked.put(key, revocation);
        approved.delete(key);
        grants.delete(key);
        requests.delete(key);
    }

    /** Drops what has expired: reservations and grants past their expiry, revocation markers past the grant's. */
    int forgetExpired(Instant now, int limit) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, AccessDecision> entries = approved.all()) {
            while (entries.hasNext() && expired.size() < limit) {
                KeyValue<String, AccessDecision> entry = entries.next();
                if (!isLive(entry.key, entry.value, now)) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(key -> {
            approved.delete(key);
            grants.delete(key);
            requests.delete(key);
        });
        List<String> markers = new ArrayList<>();
        try (KeyValueIterator<String, Revocation> entries = revoked.all()) {
            while (entries.hasNext() && expired.size() + markers.size() < limit) {
                KeyValue<String, Revocation> entry = entries.next();
                if (!entry.value.getExpiresAt().isAfter(now)) {
                    markers.add(entry.key);
                }
            }
        }
        markers.forEach(revoked::delete);
        return expired.size() + markers.size();
    }

    /**
     * Visits approved decisions after {@code afterKey} (from the start when null), at most
     * {@code limit}, with the request and the grant (null when not issued yet); returns the last
     * key visited, or null when the end was reached.
     */
    String visitApproved(String afterKey, int limit, BiConsumer<AccessDecision, Optional<GrantIssued>> visitor) {
        String lastKey = null;
        int visited = 0;
        try (KeyValueIterator<String, AccessDecision> entries = afterKey == null
                ? approved.all() : approved.range(afterKey + "\0", null)) {
            while (entries.hasNext()) {
                if (visited == limit) {
                    return lastKey;
                }
                KeyValue<String, AccessDecision> entry = entries.next();
                visitor.accept(entry.value, Optional.ofNullable(grants.get(entry.key)));
                lastKey = entry.key;
                visited++;
            }
        }
        return null;
    }

    Optional<String> progress(String key) {
        return Optional.ofNullable(progress.get(key));
    }

    void setProgress(String key, String value) {
        if (value == null) {
            progress.delete(key);
        } else {
            progress.put(key, value);
        }
    }

    private boolean isLive(String key, AccessDecision decision, Instant now) {
        GrantIssued grant = grants.get(key);
        Instant expiresAt = grant != null ? grant.getExpiresAt()
                : decision.getDecidedAt().plusSeconds(decision.getGrantedTtlSeconds());
        return expiresAt.isAfter(now);
    }
}
