package io.jitbroker.issuer.domain;

import java.time.Instant;

/**
 * A login just created for a workload on a PostgreSQL target. Secret: the password goes into one HTTP
 * response and nowhere else (not in logs, not in the database, not on Kafka), hence no record toString.
 */
public final class PostgresLogin implements IssuedCredential {

    private final PostgresRoles.PostgresEndpoint endpoint;
    private final String username;
    private final String password;
    private final Instant expiresAt;

    public PostgresLogin(PostgresRoles.PostgresEndpoint endpoint, String username, String password, Instant expiresAt) {
        this.endpoint = endpoint;
        this.username = username;
        this.password = password;
        this.expiresAt = expiresAt;
    }

    public PostgresRoles.PostgresEndpoint endpoint() {
        return endpoint;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    @Override
    public String type() {
        return PostgresAccess.CREDENTIAL_TYPE;
    }

    @Override
    public Instant expiresAt() {
        return expiresAt;
    }

    @Override
    public String toString() {
        return "PostgresLogin[" + username + "@" + endpoint.host() + ":" + endpoint.port() + "/" + endpoint.database()
                + ", expiresAt=" + expiresAt + ", password=<redacted>]";
    }
}
