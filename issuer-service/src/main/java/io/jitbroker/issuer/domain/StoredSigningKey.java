package io.jitbroker.issuer.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A signing key as the store holds it: the public JWK in clear (it is published anyway), the private
 * JWK sealed under the master key, and its lifecycle.
 *
 * @param sealedPrivateJwk the private JWK JSON sealed by {@link MasterKey} with the kid as associated data;
 *                         null once the key is retired (nothing can sign with it again)
 * @param lastSignedExpiry the latest {@code exp} of any token signed with it, recorded before signing;
 *                         null while it has signed nothing
 * @param retiredAt        when it stopped verifying; null while published
 */
public record StoredSigningKey(String kid, String publicJwk, byte[] sealedPrivateJwk, Instant createdAt,
                               Instant lastSignedExpiry, Instant retiredAt) {

    public StoredSigningKey {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(publicJwk, "publicJwk");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    @Override
    public String toString() {
        return "StoredSigningKey[kid=" + kid + ", createdAt=" + createdAt + ", lastSignedExpiry=" + lastSignedExpiry
                + ", retiredAt=" + retiredAt + "]";
    }
}
