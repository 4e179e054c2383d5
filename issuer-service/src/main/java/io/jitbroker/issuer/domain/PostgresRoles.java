package io.jitbroker.issuer.domain;

import java.time.Instant;

/**
 * The PostgreSQL targets, as the issuer administers them: it creates one login role per picked-up
 * grant and drops it at revocation. Implementations talk to the real servers with each target's admin
 * credentials.
 */
public interface PostgresRoles {

    /** Whether a target of that name is configured. */
    boolean isConfigured(String target);

    /** Where a workload connects to a target. */
    PostgresEndpoint endpoint(String target);

    /**
     * Creates the role with LOGIN, the password and VALID UNTIL {@code validUntil}, and grants it USAGE
     * on each schema and exactly the privileges listed on exactly those tables; all or nothing.
     *
     * @throws PostgresTargetException if the target is unreachable or refuses (a missing table, say)
     */
    void create(String target, String role, char[] password, Instant validUntil, PostgresAccess access);

    /**
     * Makes sure the role is gone: no new logins, its sessions terminated, what it owns reassigned and
     * dropped (which also revokes every privilege it holds), the role dropped. Nothing to do for an
     * absent role, so it can be repeated.
     *
     * @throws PostgresTargetException if the target is unreachable or the drop fails; try again later
     */
    void drop(String target, String role);

    /** Host, port and database of a target, as the workload should use them. */
    record PostgresEndpoint(String host, int port, String database) {
    }

    /** A target could not be reached or refused an operation; the message never holds a password. */
    class PostgresTargetException extends RuntimeException {

        public PostgresTargetException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
