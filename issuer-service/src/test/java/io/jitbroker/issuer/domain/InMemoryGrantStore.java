package io.jitbroker.issuer.domain;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A real, in-memory grant store with the same conditional-write semantics as the SQL one. */
final class InMemoryGrantStore implements GrantStore {

    private final Map<UUID, Grant> grants = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> announced = new ConcurrentHashMap<>();

    @Override
    public synchronized boolean insertIfAbsent(Grant grant) {
        if (findByRequestId(grant.requestId()).isPresent()) {
            return false;
        }
        grants.put(grant.grantId(), grant);
        return true;
    }

    @Override
    public Optional<Grant> findById(UUID grantId) {
        return Optional.ofNullable(grants.get(grantId));
    }

    @Override
    public Optional<Grant> findByRequestId(String requestId) {
        return grants.values().stream().filter(g -> g.requestId().equals(requestId)).findFirst();
    }

    @Override
    public synchronized boolean markPickedUp(UUID grantId, Instant at) {
        Grant g = grants.get(grantId);
        if (g == null || g.isPickedUp() || g.isRevoked() || g.isExpiredAt(at)) {
            return false;
        }
        grants.put(grantId, new Grant(g.grantId(), g.requestId(), g.credentialId(), g.workloadId(), g.taskId(),
                g.environment(), g.resources(), g.credentialType(), g.issuedAt(), g.expiresAt(), g.heartbeatInterval(), g.dpopJkt(), at,
                g.revokedAt(), g.revocationReason(), g.revocationDetail(), g.enforcedAt()));
        return true;
    }

    @Override
    public synchronized boolean markRevoked(UUID grantId, String reason, String detail, Instant revokedAt) {
        Grant g = grants.get(grantId);
        if (g == null || g.isRevoked()) {
            return false;
        }
        grants.put(grantId, new Grant(g.grantId(), g.requestId(), g.credentialId(), g.workloadId(), g.taskId(),
                g.environment(), g.resources(), g.credentialType(), g.issuedAt(), g.expiresAt(), g.heartbeatInterval(),
                g.dpopJkt(), g.pickedUpAt(), revokedAt, reason, detail, null));
        return true;
    }

    @Override
    public synchronized boolean markEnforced(UUID grantId, Instant at) {
        Grant g = grants.get(grantId);
        if (g == null || !g.isRevoked() || g.enforcedAt() != null) {
            return false;
        }
        grants.put(grantId, new Grant(g.grantId(), g.requestId(), g.credentialId(), g.workloadId(), g.taskId(),
                g.environment(), g.resources(), g.credentialType(), g.issuedAt(), g.expiresAt(), g.heartbeatInterval(),
                g.dpopJkt(), g.pickedUpAt(), g.revokedAt(), g.revocationReason(), g.revocationDetail(), at));
        return true;
    }

    @Override
    public synchronized boolean releasePickup(UUID grantId, Instant pickedUpAt) {
        Grant g = grants.get(grantId);
        if (g == null || !pickedUpAt.equals(g.pickedUpAt())) {
            return false;
        }
        grants.put(grantId, new Grant(g.grantId(), g.requestId(), g.credentialId(), g.workloadId(), g.taskId(),
                g.environment(), g.resources(), g.credentialType(), g.issuedAt(), g.expiresAt(), g.heartbeatInterval(),
                g.dpopJkt(), null, g.revokedAt(), g.revocationReason(), g.revocationDetail(), g.enforcedAt()));
        return true;
    }

    @Override
    public List<Grant> findUnenforcedRevocations(String credentialType, int limit) {
        return grants.values().stream()
                .filter(g -> g.isRevoked() && g.enforcedAt() == null && g.credentialType().equals(credentialType))
                .sorted(Comparator.comparing(Grant::revokedAt))
                .limit(limit)
                .toList();
    }

    @Override
    public List<Grant> findUnannouncedEnforcements(String credentialType, Instant enforcedBefore, int limit) {
        return grants.values().stream()
                .filter(g -> g.enforcedAt() != null && g.enforcedAt().isBefore(enforcedBefore)
                        && !announced.containsKey(g.grantId()) && g.credentialType().equals(credentialType))
                .sorted(Comparator.comparing(Grant::enforcedAt))
                .limit(limit)
                .toList();
    }

    @Override
    public void markAnnounced(UUID grantId, Instant at) {
        announced.putIfAbsent(grantId, at);
    }
}
