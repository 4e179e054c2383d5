package io.jitbroker.issuer.domain;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A PostgreSQL target held in memory: the roles that exist on it, and a switch to make it unreachable,
 * as a network partition would. The real SQL is proven against real PostgreSQL in PostgresCredentialIT.
 */
final class InMemoryPostgresRoles implements PostgresRoles {

    /** A role as created: its password and what it may do. */
    record Role(String password, Instant validUntil, PostgresAccess access) {
    }

    private final Map<String, Role> roles = new ConcurrentHashMap<>();
    private volatile boolean unreachable;
    private volatile Runnable afterCreate = () -> { };

    void unreachable(boolean unreachable) {
        this.unreachable = unreachable;
    }

    /** Runs right after a role is created, before the pickup reads the grant again (to race a revocation in). */
    void afterCreate(Runnable action) {
        this.afterCreate = action;
    }

    Map<String, Role> roles() {
        return Map.copyOf(roles);
    }

    @Override
    public boolean isConfigured(String target) {
        return "orders-db".equals(target);
    }

    @Override
    public PostgresEndpoint endpoint(String target) {
        return new PostgresEndpoint("db.internal", 5432, "orders");
    }

    @Override
    public void create(String target, String role, char[] password, Instant validUntil, PostgresAccess access) {
        requireReachable(target);
        if (roles.putIfAbsent(role, new Role(new String(password), validUntil, access)) != null) {
            throw new PostgresTargetException("role " + role + " already exists", null);
        }
        afterCreate.run();
    }

    @Override
    public void drop(String target, String role) {
        requireReachable(target);
        roles.remove(role);
    }

    private void requireReachable(String target) {
        if (unreachable) {
            throw new PostgresTargetException("connection to " + target + " refused", null);
        }
    }
}
