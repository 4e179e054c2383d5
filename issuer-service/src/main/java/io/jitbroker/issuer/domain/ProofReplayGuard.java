package io.jitbroker.issuer.domain;

import java.time.Instant;

/**
 * Remembers which DPoP proofs have been used, so a captured proof cannot be replayed. Shared by every
 * issuer instance; an entry is needed only while its proof could still pass the {@code iat} window.
 */
public interface ProofReplayGuard {

    /**
     * Records a proof's use.
     *
     * @param issuer    who made the proof (the workload): proofs of different workloads never collide
     * @param jtiHash   a digest of the proof's {@code jti}
     * @param keepUntil when the entry may be forgotten: after it, the proof fails its {@code iat} check anyway
     * @return true for the first use; false for a replay
     */
    boolean firstUse(String issuer, String jtiHash, Instant keepUntil);

    /** Forgets the entries no proof can need any more; how many were forgotten. */
    int forgetExpired(Instant now);
}
