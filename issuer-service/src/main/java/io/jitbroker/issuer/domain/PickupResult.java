package io.jitbroker.issuer.domain;

/**
 * What happened when a workload came for its credential.
 *
 * @param grant      the grant, when one was found
 * @param credential the freshly made credential (a JWT or a database login), only for {@link Outcome#ISSUED}
 * @param detail     why a DPoP proof was refused ({@link Outcome#DPOP_PROOF_INVALID}) or the target failed
 *                   ({@link Outcome#TARGET_UNAVAILABLE}); never a secret
 */
public record PickupResult(Outcome outcome, Grant grant, IssuedCredential credential, String detail) {

    public enum Outcome {
        ISSUED, NOT_FOUND, NOT_GRANT_WORKLOAD, ALREADY_PICKED_UP, REVOKED, EXPIRED,
        /** The access request declared a DPoP key and the pickup carried no proof. */
        DPOP_PROOF_REQUIRED,
        /** The pickup carried a DPoP proof that does not hold (see detail). */
        DPOP_PROOF_INVALID,
        /** A valid proof, but by another key than the one the access request declared. */
        DPOP_KEY_MISMATCH,
        /** The database the grant is on could not create the login; the grant is untouched, try again. */
        TARGET_UNAVAILABLE
    }

    static PickupResult of(Outcome outcome, Grant grant) {
        return new PickupResult(outcome, grant, null, null);
    }

    static PickupResult refusedProof(Grant grant, String detail) {
        return new PickupResult(Outcome.DPOP_PROOF_INVALID, grant, null, detail);
    }

    static PickupResult targetUnavailable(Grant grant, String detail) {
        return new PickupResult(Outcome.TARGET_UNAVAILABLE, grant, null, detail);
    }

    static PickupResult issued(Grant grant, IssuedCredential credential) {
        return new PickupResult(Outcome.ISSUED, grant, credential, null);
    }
}
