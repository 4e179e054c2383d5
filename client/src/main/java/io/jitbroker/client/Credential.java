package io.jitbroker.client;

import java.time.Instant;
import java.util.Map;

/**
 * A picked-up credential: a secret, handed out once. No implementation shows the secret in
 * {@code toString()}, so it cannot reach a log or an exception message by accident.
 */
public sealed interface Credential permits JwtCredential, PostgresCredential {

    /** {@code jwt} or {@code postgres}. */
    String type();

    Instant expiresAt();

    /**
     * The environment variables a command receives the credential in (see docs/CLIENTS.md): for a JWT
     * {@code JIT_CREDENTIAL}, for a PostgreSQL login {@code PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD}.
     */
    Map<String, String> environment();
}
