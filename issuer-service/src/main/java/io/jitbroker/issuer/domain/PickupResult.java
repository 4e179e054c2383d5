package io.jitbroker.issuer.domain;

/**
 * What happened when a workload came for its credential.
 *
 * @param grant      the grant, when one was found
 * @param credential the freshly made credential (a JWT or a database login), only for {@link Outcome#ISSUED}
 * @param detail     why a DPoP proof was refused ({@link Outcome#DPOP_PROOF_INVALID}), the target failed
 *                   ({@link Outcome#TARGET_UNAVAILABLE}) or the revocation state is unknown
 *                   ({@link Outcome#REVOCATION_STATE_UNKNOWN}); never a secret
 * @param unknownState what is unknown, only for {@link Outcome#REVOCATION_STATE_UNKNOWN}
 */
public record PickupResult(Outcome outcome, Grant grant, IssuedCredential credential, String detail,
                           RevocationStateUnknown unknownState) {

    public enum Outcome {
        ISSUED, NOT_FOUND, NOT_GRANT_WORKLOAD, ALREADY_PICKED_UP, REVOKED, EXPIRED,
        /** The access request declared a DPoP key and the pickup carried no proof. */
        DPOP_PROOF_REQUIRED,
        /** The pickup carried a DPoP proof that does not hold (see detail). */
        DPOP_PROOF_INVALID,
        /** A valid proof, but by another key than the one the access request declared. */
        DPOP_KEY_MISMATCH,
        /** The database the grant is on could not create the login; the grant is untouched, try again. */
        TARGET_UNAVAILABLE,
        /**
         * The issuer cannot tell whether the grant was revoked meanwhile (its revocations were not
         * confirmed applied within the bound); the grant is untouched, try again.
         */
        REVOCATION_STATE_UNKNOWN
    }

    static PickupResult of(Outcome outcome, Grant grant) {
        return new PickupResult(outcome, grant, null, null, null);
    }

    static PickupResult refusedProof(Grant grant, String detail) {
        return new PickupResult(Outcome.DPOP_PROOF_INVALID, grant, null, detail, null);
    }

    static PickupResult targetUnavailable(Grant grant, String detail) {
        return new PickupResult(Outcome.TARGET_UNAVAILABLE, grant, null, detail, null);
    }

    static PickupResult revocationStateUnknown(Grant grant, RevocationStateUnknown unknown) {
        return new PickupResult(Outcome.REVOCATION_STATE_UNKNOWN, grant, null, unknown.describe(), unknown);
    }

    static PickupResult issued(Grant grant, IssuedCredential credential) {
        return new PickupResult(Outcome.ISSUED, grant, credential, null, null);
    }
}
