package io.jitbroker.issuer.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where grants live. Every state change is a conditional write, so concurrent callers and redelivered
 * events cannot apply the same change twice.
 */
public interface GrantStore {

    /** Stores the grant unless its request already has one; false when it already had. */
    boolean insertIfAbsent(Grant grant);

    Optional<Grant> findById(UUID grantId);

    Optional<Grant> findByRequestId(String requestId);

    /** Marks the grant picked up if it is live and not yet picked up; true only for the one caller that did. */
    boolean markPickedUp(UUID grantId, Instant at);

    /** Marks the grant revoked unless it already is; true when this call revoked it. */
    boolean markRevoked(UUID grantId, String reason, String detail, Instant revokedAt);

    /** Records when the revocation became enforced, once; true when this call recorded it. */
    boolean markEnforced(UUID grantId, Instant at);

    /**
     * Undoes the pickup claimed at {@code pickedUpAt} when its credential could not be made, so the
     * workload can try again; true when this call undid it.
     */
    boolean releasePickup(UUID grantId, Instant pickedUpAt);

    /** Revoked grants of this credential type whose revocation is not enforced yet, oldest revocation first. */
    List<Grant> findUnenforcedRevocations(String credentialType, int limit);

    /** Grants of this credential type enforced before {@code enforcedBefore} whose enforcement was never announced. */
    List<Grant> findUnannouncedEnforcements(String credentialType, Instant enforcedBefore, int limit);

    /** Records that RevocationEnforced was acknowledged by the broker for the grant. */
    void markAnnounced(UUID grantId, Instant at);
}
