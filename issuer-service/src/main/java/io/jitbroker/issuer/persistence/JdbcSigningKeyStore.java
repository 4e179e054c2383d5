package io.jitbroker.issuer.persistence;

import io.jitbroker.issuer.domain.SigningKeyStore;
import io.jitbroker.issuer.domain.StoredSigningKey;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The signing keys on PostgreSQL (V3__signing_keys.sql). Key creation is serialized across instances by
 * a transaction-scoped advisory lock; signing and retiring are single conditional statements whose row
 * locks order them, so a key is never retired under a token being signed with it.
 */
@Singleton
public class JdbcSigningKeyStore implements SigningKeyStore {

    /** The advisory lock that serializes key creation: any fixed number unique within this database. */
    static final long KEY_CREATION_LOCK = 0x6a69_742d_6b65_7973L;

    private final JdbcOperations jdbc;

    public JdbcSigningKeyStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    @Transactional
    public List<StoredSigningKey> findPublished() {
        return jdbc.prepareStatement("""
                SELECT kid, public_jwk, sealed_private_jwk, created_at, last_signed_expiry, retired_at
                FROM signing_keys WHERE retired_at IS NULL ORDER BY seq DESC""", statement -> {
            List<StoredSigningKey> keys = new ArrayList<>();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    keys.add(new StoredSigningKey(row.getString("kid"), row.getString("public_jwk"),
                            row.getBytes("sealed_private_jwk"), SqlTime.get(row, "created_at"),
                            SqlTime.get(row, "last_signed_expiry"), SqlTime.get(row, "retired_at")));
                }
            }
            return keys;
        });
    }

    @Override
    @Transactional
    public boolean insertUnlessFresherExists(StoredSigningKey key, Instant freshAfter) {
        // Held until commit: a second instance waits here, then sees this key and adds none.
        jdbc.prepareStatement("SELECT pg_advisory_xact_lock(?)", statement -> {
            statement.setLong(1, KEY_CREATION_LOCK);
            return statement.execute();
        });
        boolean fresherExists = jdbc.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM signing_keys WHERE retired_at IS NULL AND created_at > ?)", statement -> {
                    SqlTime.set(statement, 1, freshAfter);
                    try (ResultSet row = statement.executeQuery()) {
                        row.next();
                        return row.getBoolean(1);
                    }
                });
        if (fresherExists) {
            return false;
        }
        return jdbc.prepareStatement("""
                INSERT INTO signing_keys (kid, public_jwk, sealed_private_jwk, created_at)
                VALUES (?, ?, ?, ?)""", statement -> {
            statement.setString(1, key.kid());
            statement.setString(2, key.publicJwk());
            statement.setBytes(3, key.sealedPrivateJwk());
            SqlTime.set(statement, 4, key.createdAt());
            return statement.executeUpdate() == 1;
        });
    }

    @Override
    @Transactional
    public boolean recordSignedExpiry(String kid, Instant expiresAt) {
        return jdbc.prepareStatement("""
                UPDATE signing_keys
                SET last_signed_expiry = GREATEST(COALESCE(last_signed_expiry, ?), ?)
                WHERE kid = ? AND retired_at IS NULL""", statement -> {
            SqlTime.set(statement, 1, expiresAt);
            SqlTime.set(statement, 2, expiresAt);
            statement.setString(3, kid);
            return statement.executeUpdate() == 1;
        });
    }

    @Override
    @Transactional
    public List<String> retireDrained(Instant now) {
        return jdbc.prepareStatement("""
                UPDATE signing_keys SET retired_at = ?, sealed_private_jwk = NULL
                WHERE retired_at IS NULL
                  AND seq < (SELECT max(seq) FROM signing_keys WHERE retired_at IS NULL)
                  AND (last_signed_expiry IS NULL OR last_signed_expiry <= ?)
                RETURNING kid""", statement -> {
            SqlTime.set(statement, 1, now);
            SqlTime.set(statement, 2, now);
            List<String> retired = new ArrayList<>();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    retired.add(row.getString("kid"));
                }
            }
            return retired;
        });
    }
}
