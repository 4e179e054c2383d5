package io.jitbroker.issuer.domain;

import java.time.Instant;
import java.util.List;

/**
 * The answer to "is this credential live?". Inactive answers carry only the reason, for logs and
 * metrics: callers learn nothing more than {@code active=false} (RFC 7662, section 2.2). One answer is
 * neither: {@link InactiveReason#REVOCATION_STATE_UNKNOWN} (the credential would be live, but the issuer
 * cannot tell whether it was revoked meanwhile), which is never told as {@code active=true} and carries
 * {@code unknownState}.
 */
public record Introspection(boolean active, InactiveReason reason, Claims claims, RevocationStateUnknown unknownState) {

    /** Why a token is not active. */
    public enum InactiveReason {
        MALFORMED, UNSUPPORTED_ALGORITHM, UNKNOWN_KEY, BAD_SIGNATURE, WRONG_ISSUER, EXPIRED, NOT_YET_VALID,
        UNKNOWN_GRANT, REVOKED, UNKNOWN_CREDENTIAL,
        /** DPoP-bound, and the resource forwarded no proof: a replay of a captured token looks like this. */
        DPOP_PROOF_MISSING,
        /** DPoP-bound, and the forwarded proof does not hold (another key, request or token; stale; replayed). */
        DPOP_PROOF_INVALID,
        /**
         * Live as far as the issuer knows, but the revocations that could concern its grant were not
         * confirmed applied recently enough: not active, and not known inactive either (fail closed).
         */
        REVOCATION_STATE_UNKNOWN
    }

    /**
     * What an active token says, once its signature, lifetime, grant and (if bound) proof have been checked.
     *
     * @param boundJkt the {@code cnf.jkt} of a DPoP-bound token; null for a bearer token
     */
    public record Claims(String issuer, String subject, String scope, List<String> audience, Instant expiresAt,
                         Instant issuedAt, String tokenId, String grantId, String taskId, String environment,
                         String boundJkt) {

        /** RFC 9449, section 6.2: {@code DPoP} for a bound token, else {@code Bearer}. */
        public String tokenType() {
            return boundJkt == null ? MintedCredential.BEARER : MintedCredential.DPOP;
        }
    }

    public static Introspection active(Claims claims) {
        return new Introspection(true, null, claims, null);
    }

    public static Introspection inactive(InactiveReason reason) {
        return new Introspection(false, reason, null, null);
    }

    public static Introspection revocationStateUnknown(RevocationStateUnknown unknown) {
        return new Introspection(false, InactiveReason.REVOCATION_STATE_UNKNOWN, null, unknown);
    }
}
