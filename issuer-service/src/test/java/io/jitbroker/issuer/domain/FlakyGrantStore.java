package io.jitbroker.issuer.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A real in-memory store whose next enforcement write can be made to fail, as a database outage would. */
final class FlakyGrantStore implements GrantStore {

    private final InMemoryGrantStore store = new InMemoryGrantStore();
    private boolean failNextMarkEnforced;

    void failNextMarkEnforced() {
        failNextMarkEnforced = true;
    }

    @Override
    public boolean insertIfAbsent(Grant grant) {
        return store.insertIfAbsent(grant);
    }

    @Override
    public Optional<Grant> findById(UUID grantId) {
        return store.findById(grantId);
    }

    @Override
    public Optional<Grant> findByRequestId(String requestId) {
        return store.findByRequestId(requestId);
    }

    @Override
    public boolean markPickedUp(UUID grantId, Instant at) {
        return store.markPickedUp(grantId, at);
    }

    @Override
    public boolean markRevoked(UUID grantId, String reason, String detail, Instant revokedAt) {
        return store.markRevoked(grantId, reason, detail, revokedAt);
    }

    @Override
    public boolean markEnforced(UUID grantId, Instant at) {
        if (failNextMarkEnforced) {
            failNextMarkEnforced = false;
            throw new IllegalStateException("database unavailable");
        }
        return store.markEnforced(grantId, at);
    }

    @Override
    public boolean releasePickup(UUID grantId, Instant pickedUpAt) {
        return store.releasePickup(grantId, pickedUpAt);
    }

    @Override
    public List<Grant> findUnenforcedRevocations(String credentialType, int limit) {
        return store.findUnenforcedRevocations(credentialType, limit);
    }

    @Override
    public List<Grant> findUnannouncedEnforcements(String credentialType, Instant enforcedBefore, int limit) {
        return store.findUnannouncedEnforcements(credentialType, enforcedBefore, limit);
    }

    @Override
    public void markAnnounced(UUID grantId, Instant at) {
        store.markAnnounced(grantId, at);
    }
}
