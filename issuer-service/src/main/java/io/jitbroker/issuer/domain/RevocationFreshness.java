package io.jitbroker.issuer.domain;

import java.util.Optional;
import java.util.UUID;

/**
 * Whether "this grant is not revoked" can be trusted right now: every revocation that could concern
 * the grant (its partition of jit.revocations.v1) was confirmed applied to the deny-list recently
 * enough. A grant that is already known revoked or expired needs no such check.
 */
public interface RevocationFreshness {

    /** Empty when the grant's revocation state is known; otherwise why it is not. */
    Optional<RevocationStateUnknown> unknown(UUID grantId);
}
