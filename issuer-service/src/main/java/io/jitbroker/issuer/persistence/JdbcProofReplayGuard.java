package io.jitbroker.issuer.persistence;

import io.jitbroker.issuer.domain.ProofReplayGuard;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * Used DPoP proofs on PostgreSQL (V4__dpop.sql): the primary key makes the first use win on every
 * instance at once. An entry whose time is up still counts as used until it is swept: a proof that old
 * fails its iat check before it gets here.
 */
@Singleton
public class JdbcProofReplayGuard implements ProofReplayGuard {

    private final JdbcOperations jdbc;

    public JdbcProofReplayGuard(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    @Transactional
    public boolean firstUse(String issuer, String jtiHash, Instant keepUntil) {
        return jdbc.prepareStatement("""
                INSERT INTO dpop_proof_uses (issuer, jti_sha256, keep_until) VALUES (?, ?, ?)
                ON CONFLICT (issuer, jti_sha256) DO NOTHING""", statement -> {
            statement.setString(1, issuer);
            statement.setString(2, jtiHash);
            SqlTime.set(statement, 3, keepUntil);
            return statement.executeUpdate() == 1;
        });
    }

    @Override
    @Transactional
    public int forgetExpired(Instant now) {
        return jdbc.prepareStatement("DELETE FROM dpop_proof_uses WHERE keep_until < ?", statement -> {
            SqlTime.set(statement, 1, now);
            return statement.executeUpdate();
        });
    }
}
