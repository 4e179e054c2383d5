package io.jitbroker.issuer.domain;

import io.jitbroker.issuer.domain.PickupResult.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Hands a grant's credential to its workload exactly once. The credential is minted first and
 * released only if this caller wins the conditional "picked up" write, so two concurrent pickups
 * cannot both get one and a signing failure never burns the grant.
 */
public final class CredentialPickup {

    private final GrantStore store;
    private final CredentialMinter minter;
    private final Clock clock;

    public CredentialPickup(GrantStore store, CredentialMinter minter, Clock clock) {
        this.store = store;
        this.minter = minter;
        this.clock = clock;
    }

    /**
     * @param callerWorkloadId the SPIFFE ID proven by the caller's token
     */
    public PickupResult pickUp(UUID grantId, String callerWorkloadId) {
        Optional<Grant> found = store.findById(grantId);
        if (found.isEmpty()) {
            return PickupResult.of(Outcome.NOT_FOUND, null);
        }
        Grant grant = found.get();
        if (!grant.workloadId().equals(callerWorkloadId)) {
            return PickupResult.of(Outcome.NOT_GRANT_WORKLOAD, grant);
        }
        Instant now = clock.instant();
        Optional<Outcome> unavailable = unavailable(grant, now);
        if (unavailable.isPresent()) {
            return PickupResult.of(unavailable.get(), grant);
        }
        MintedCredential credential = minter.mint(grant, now);
        if (store.markPickedUp(grantId, now)) {
            return PickupResult.issued(grant, credential);
        }
        // Someone else won, or the grant was revoked in between: say which, from the stored state.
        Grant current = store.findById(grantId).orElse(grant);
        return PickupResult.of(unavailable(current, now).orElse(Outcome.ALREADY_PICKED_UP), current);
    }

    private static Optional<Outcome> unavailable(Grant grant, Instant now) {
        if (grant.isRevoked()) {
            return Optional.of(Outcome.REVOKED);
        }
        if (grant.isExpiredAt(now)) {
            return Optional.of(Outcome.EXPIRED);
        }
        if (grant.isPickedUp()) {
            return Optional.of(Outcome.ALREADY_PICKED_UP);
        }
        return Optional.empty();
    }
}
