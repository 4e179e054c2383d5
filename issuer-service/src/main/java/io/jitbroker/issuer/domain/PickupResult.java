package io.jitbroker.issuer.domain;

/**
 * What happened when a workload came for its credential.
 *
 * @param grant      the grant, when one was found
 * @param credential the freshly minted credential, only for {@link Outcome#ISSUED}
 */
public record PickupResult(Outcome outcome, Grant grant, MintedCredential credential) {

    public enum Outcome {
        ISSUED, NOT_FOUND, NOT_GRANT_WORKLOAD, ALREADY_PICKED_UP, REVOKED, EXPIRED
    }

    static PickupResult of(Outcome outcome, Grant grant) {
        return new PickupResult(outcome, grant, null);
    }

    static PickupResult issued(Grant grant, MintedCredential credential) {
        return new PickupResult(Outcome.ISSUED, grant, credential);
    }
}
