package io.jitbroker.issuer.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A real, in-memory key store with the same atomic operations as the SQL one (synchronized for the lock). */
final class InMemorySigningKeyStore implements SigningKeyStore {

    /** Oldest first: insertion order is "newest" order, as the SQL store's seq. */
    private final List<StoredSigningKey> keys = new ArrayList<>();

    @Override
    public synchronized List<StoredSigningKey> findPublished() {
        List<StoredSigningKey> published = new ArrayList<>();
        for (int i = keys.size() - 1; i >= 0; i--) {
            if (keys.get(i).retiredAt() == null) {
                published.add(keys.get(i));
            }
        }
        return published;
    }

    /** How many times an expiry was recorded (a database write each in production). */
    int expiryRecords;

    @Override
    public synchronized boolean insertUnlessFresherExists(StoredSigningKey key, Instant freshAfter) {
        boolean fresherExists = keys.stream().anyMatch(k -> k.retiredAt() == null && k.createdAt().isAfter(freshAfter));
        if (fresherExists) {
            return false;
        }
        keys.add(key);
        return true;
    }

    @Override
    public synchronized boolean recordSignedExpiry(String kid, Instant expiresAt) {
        expiryRecords++;
        for (int i = 0; i < keys.size(); i++) {
            StoredSigningKey k = keys.get(i);
            if (k.kid().equals(kid) && k.retiredAt() == null) {
                Instant latest = k.lastSignedExpiry() == null || expiresAt.isAfter(k.lastSignedExpiry())
                        ? expiresAt : k.lastSignedExpiry();
                keys.set(i, new StoredSigningKey(k.kid(), k.publicJwk(), k.sealedPrivateJwk(), k.createdAt(), latest, null));
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized List<String> retireDrained(Instant now) {
        List<StoredSigningKey> published = findPublished();
        if (published.isEmpty()) {
            return List.of();
        }
        String newest = published.get(0).kid();
        List<String> retired = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            StoredSigningKey k = keys.get(i);
            boolean drained = k.lastSignedExpiry() == null || !k.lastSignedExpiry().isAfter(now);
            if (k.retiredAt() == null && !k.kid().equals(newest) && drained) {
                keys.set(i, new StoredSigningKey(k.kid(), k.publicJwk(), null, k.createdAt(), k.lastSignedExpiry(), now));
                retired.add(k.kid());
            }
        }
        return retired;
    }

    /** Every key ever stored, retired ones included, oldest first. */
    synchronized List<StoredSigningKey> all() {
        return List.copyOf(keys);
    }
}
