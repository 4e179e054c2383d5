package io.jitbroker.issuer.domain;

import io.jitbroker.issuer.domain.PickupResult.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * Hands a grant's credential to its workload exactly once; two concurrent pickups never both get one.
 *
 * <p>A JWT is minted first and released only if this caller wins the conditional "picked up" write,
 * so a signing failure never burns the grant. A database login is the other way round, because making
 * it changes the target: the pickup is claimed first, then the role is created, and the claim is
 * released if the target could not create it. A revocation that lands between the claim and the role
 * creation would find no role to drop, so the grant is read again afterwards and a role made for a
 * revoked grant is dropped at once (its password never leaves the issuer).
 *
 * <p>Proof of possession (RFC 9449): a pickup may carry a DPoP proof; a JWT is then bound to the
 * proof's key. When the access request declared a key, a valid proof by exactly that key is required
 * to pick up any credential (a database password cannot carry the binding, but only the key holder
 * receives it). A refused proof burns nothing: the workload may try again with a good one.
 *
 * <p>No credential is handed out while the issuer cannot tell whether its grant was revoked meanwhile
 * ({@link RevocationFreshness}): the answer is then {@link Outcome#REVOCATION_STATE_UNKNOWN} and the
 * grant stays pickable. A grant already known revoked, expired or picked up is answered as such.
 */
public final class CredentialPickup {

    private final GrantStore store;
    private final CredentialMinter minter;
    private final PostgresRoles postgres;
    private final DpopVerifier dpop;
    private final RevocationFreshness freshness;
    private final Clock clock;

    public CredentialPickup(GrantStore store, CredentialMinter minter, PostgresRoles postgres, DpopVerifier dpop,
                            RevocationFreshness freshness, Clock clock) {
        this.store = store;
        this.minter = minter;
        this.postgres = postgres;
        this.dpop = dpop;
        this.freshness = freshness;
        this.clock = clock;
    }

    /**
     * @param callerWorkloadId the SPIFFE ID proven by the caller's token
     * @param callerJwt        that token (a DPoP proof must hash it in {@code ath})
     * @param proof            the request's DPoP proof; null when it carried none
     */
    public PickupResult pickUp(UUID grantId, String callerWorkloadId, String callerJwt, DpopPresentation proof) {
        // Judged before the grant is read: every revocation a fresh watermark covers was applied before the read.
        Optional<RevocationStateUnknown> unknown = freshness.unknown(grantId);
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
        if (unknown.isPresent()) {
            // Before the DPoP proof is checked: a refusal must not use up the proof.
            return PickupResult.revocationStateUnknown(grant, unknown.get());
        }
        String boundJkt = null;
        if (proof != null) {
            try {
                boundJkt = dpop.verifyPickup(callerWorkloadId, callerJwt, proof);
            } catch (InvalidDpopProofException e) {
                return PickupResult.refusedProof(grant, e.getMessage());
            }
        }
        if (grant.dpopJkt() != null && boundJkt == null) {
            return PickupResult.of(Outcome.DPOP_PROOF_REQUIRED, grant);
        }
        if (grant.dpopJkt() != null && !grant.dpopJkt().equals(boundJkt)) {
            return PickupResult.of(Outcome.DPOP_KEY_MISMATCH, grant);
        }
        return grant.isPostgres() ? pickUpLogin(grant, now) : pickUpToken(grant, now, boundJkt);
    }

    private PickupResult pickUpToken(Grant grant, Instant now, String boundJkt) {
        MintedCredential credential = minter.mint(grant, now, boundJkt);
        if (store.markPickedUp(grant.grantId(), now)) {
            return PickupResult.issued(grant, credential);
        }
        return lostClaim(grant, now);
    }

    private PickupResult pickUpLogin(Grant grant, Instant now) {
        if (!store.markPickedUp(grant.grantId(), now)) {
            return lostClaim(grant, now);
        }
        PostgresAccess access = grant.postgresAccess();
        String role = grant.credentialName();
        char[] password = Passwords.generate();
        try {
            postgres.create(access.target(), role, password, grant.expiresAt(), access);
            Grant current = store.findById(grant.grantId()).orElse(grant);
            if (current.isRevoked()) {
                dropUnreleased(access.target(), role);
                return PickupResult.of(Outcome.REVOKED, current);
            }
            return PickupResult.issued(grant, new PostgresLogin(postgres.endpoint(access.target()), role,
                    new String(password), grant.expiresAt()));
        } catch (PostgresRoles.PostgresTargetException e) {
            store.releasePickup(grant.grantId(), now);
            return PickupResult.targetUnavailable(grant, e.getMessage());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * Drops a role whose password was never handed out. If the target fails right now, the role is
     * still unusable (nobody knows its password) and dies at VALID UNTIL.
     */
    private void dropUnreleased(String target, String role) {
        try {
            postgres.drop(target, role);
        } catch (PostgresRoles.PostgresTargetException e) {
            // Deliberately not retried: see above.
        }
    }

    /** Someone else won the claim, or the grant was revoked in between: say which, from the stored state. */
    private PickupResult lostClaim(Grant grant, Instant now) {
        Grant current = store.findById(grant.grantId()).orElse(grant);
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
