package io.jitbroker.client;

import java.time.Instant;
import java.util.Map;

/** A PostgreSQL login made for one grant alone: valid until {@code expiresAt}, dropped on revocation. */
public record PostgresCredential(String host, int port, String database, String username, String password,
                                 Instant expiresAt) implements Credential {

    @Override
    public String type() {
        return "postgres";
    }

    /** libpq's variables: psql and most PostgreSQL drivers read them. */
    @Override
    public Map<String, String> environment() {
        return Map.of("PGHOST", host, "PGPORT", Integer.toString(port), "PGDATABASE", database, "PGUSER", username,
                "PGPASSWORD", password);
    }

    @Override
    public String toString() {
        return "PostgresCredential[host=" + host + ", port=" + port + ", database=" + database + ", username="
                + username + ", expiresAt=" + expiresAt + ", password=<redacted>]";
    }
}
