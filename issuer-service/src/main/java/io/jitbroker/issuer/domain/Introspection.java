package io.jitbroker.issuer.domain;

import java.time.Instant;
import java.util.List;

/**
 * The answer to "is this credential live?". Inactive answers carry only the reason, for logs and
 * metrics: callers learn nothing more than {@code active=false} (RFC 7662, section 2.2).
 */
public record Introspection(boolean active, InactiveReason reason, Claims claims) {

    /** Why a token is not active. */
    public enum InactiveReason {
        MALFORMED, UNSUPPORTED_ALGORITHM, UNKNOWN_KEY, BAD_SIGNATURE, WRONG_ISSUER, EXPIRED, NOT_YET_VALID,
        UNKNOWN_GRANT, REVOKED, UNKNOWN_CREDENTIAL
    }

    /** What an active token says, once its signature, lifetime and grant have been checked. */
    public record Claims(String issuer, String subject, String scope, List<String> audience, Instant expiresAt,
                         Instant issuedAt, String tokenId, String grantId, String taskId, String environment) {
    }

    public static Introspection active(Claims claims) {
        return new Introspection(true, null, claims);
    }

    public static Introspection inactive(InactiveReason reason) {
        return new Introspection(false, reason, null);
    }
}
