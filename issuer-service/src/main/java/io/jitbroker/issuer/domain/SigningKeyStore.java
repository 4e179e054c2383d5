package io.jitbroker.issuer.domain;

import java.time.Instant;
import java.util.List;

/**
 * Where the issuer's signing keys live: the one source of truth every issuer instance reads. Each
 * operation is atomic on its own, so instances racing on the same store agree on which key is newest,
 * and a key is never retired while a token it signed can still be live.
 */
public interface SigningKeyStore {

    /** The keys still published, newest first. */
    List<StoredSigningKey> findPublished();

    /**
     * Adds the key unless a published key was created after {@code freshAfter}; serialized across
     * instances, so two instances due for a rotation at the same moment create one key between them.
     *
     * @return true when this call added the key
     */
    boolean insertUnlessFresherExists(StoredSigningKey key, Instant freshAfter);

    /**
     * Raises the key's latest signed expiry to at least {@code expiresAt}, unless the key is retired.
     *
     * @return false when the key is retired or unknown: it must not sign
     */
    boolean recordSignedExpiry(String kid, Instant expiresAt);

    /**
     * Retires every published key but the newest whose last signed token has expired at {@code now} (or
     * that never signed), erasing its private part.
     *
     * @return the kids retired by this call
     */
    List<String> retireDrained(Instant now);
}
