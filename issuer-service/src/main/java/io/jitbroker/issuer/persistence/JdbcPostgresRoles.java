package io.jitbroker.issuer.persistence;

import io.jitbroker.issuer.config.PostgresTargetSettings;
import io.jitbroker.issuer.domain.PostgresAccess;
import io.jitbroker.issuer.domain.PostgresRoles;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.postgresql.Driver;
import org.postgresql.PGConnection;

/**
 * Creates and drops login roles on the configured PostgreSQL targets with their admin credentials.
 * DDL takes no bind parameters, so every name is checked against the strict identifier forms and then
 * double-quoted, privileges come from a fixed list, and VALID UNTIL is formatted from an Instant:
 * nothing from a request reaches SQL otherwise. The password never appears in SQL text either: the
 * driver sends a SCRAM-SHA-256 verifier computed on this side (ALTER ROLE ... PASSWORD 'SCRAM-SHA-256$...'),
 * so server statement logs never hold it.
 *
 * <p>The admin user needs CREATEROLE, the right to grant the privileges it hands out (owner of the
 * tables, or WITH GRANT OPTION), and the right to terminate the sessions of the roles it created
 * (superuser or membership of pg_signal_backend).
 */
public final class JdbcPostgresRoles implements PostgresRoles {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'+00'").withZone(ZoneOffset.UTC);
    private static final String UNDEFINED_OBJECT = "42704";

    private final Map<String, PostgresTargetSettings> targets;
    private final Duration connectTimeout;
    private final Duration statementTimeout;

    public JdbcPostgresRoles(Map<String, PostgresTargetSettings> targets, Duration connectTimeout,
                             Duration statementTimeout) {
        this.targets = Map.copyOf(targets);
        this.connectTimeout = connectTimeout;
        this.statementTimeout = statementTimeout;
    }

    @Override
    public boolean isConfigured(String target) {
        return targets.containsKey(target);
    }

    @Override
    public PostgresEndpoint endpoint(String target) {
        Properties parsed = Driver.parseURL(settings(target).jdbcUrl(), null);
        if (parsed == null) {
            throw new IllegalStateException("the JDBC URL of PostgreSQL target " + target + " cannot be parsed");
        }
        return new PostgresEndpoint(parsed.getProperty("PGHOST"), Integer.parseInt(parsed.getProperty("PGPORT")),
                parsed.getProperty("PGDBNAME"));
    }

    @Override
    public void create(String target, String role, char[] password, Instant validUntil, PostgresAccess access) {
        String quotedRole = role(role);
        try (Connection connection = connect(target)) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE ROLE " + quotedRole + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT "
                        + "NOREPLICATION NOBYPASSRLS VALID UNTIL '" + TIMESTAMP.format(validUntil) + "'");
                // A copy: the driver wipes the array it is given once the verifier is computed.
                connection.unwrap(PGConnection.class).alterUserPassword(role, password.clone(), "scram-sha-256");
                Set<String> schemas = new LinkedHashSet<>();
                access.tables().forEach(table -> schemas.add(identifier(table.schema())));
                for (String schema : schemas) {
                    statement.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + quotedRole);
                }
                for (PostgresAccess.TablePrivileges table : access.tables()) {
                    statement.execute("GRANT " + privileges(table) + " ON TABLE " + identifier(table.schema()) + "."
                            + identifier(table.table()) + " TO " + quotedRole);
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw failure("could not create role " + role + " on PostgreSQL target " + target, e);
        }
    }

    @Override
    public void drop(String target, String role) {
        String quotedRole = role(role);
        try (Connection connection = connect(target)) {
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                try {
                    // Committed on its own: from here on nobody logs in as the role.
                    statement.execute("ALTER ROLE " + quotedRole + " NOLOGIN");
                } catch (SQLException e) {
                    if (!UNDEFINED_OBJECT.equals(e.getSQLState())) {
                        throw e;
                    }
                    terminateSessions(connection, role);
                    return;
                }
                terminateSessions(connection, role);
                connection.setAutoCommit(false);
                statement.execute("REASSIGN OWNED BY " + quotedRole + " TO CURRENT_USER");
                // Drops what it still owns and revokes every privilege granted to it in this database.
                statement.execute("DROP OWNED BY " + quotedRole);
                statement.execute("DROP ROLE IF EXISTS " + quotedRole);
                connection.commit();
                connection.setAutoCommit(true);
                terminateSessions(connection, role);
            }
        } catch (SQLException e) {
            throw failure("could not drop role " + role + " on PostgreSQL target " + target, e);
        }
    }

    private static void terminateSessions(Connection connection, String role) throws SQLException {
        try (PreparedStatement terminate = connection.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ? AND pid <> pg_backend_pid()")) {
            terminate.setString(1, role);
            terminate.executeQuery().close();
        }
    }

    private Connection connect(String target) throws SQLException {
        PostgresTargetSettings settings = settings(target);
        Properties properties = new Properties();
        properties.setProperty("user", settings.adminUser());
        properties.setProperty("password", settings.adminPassword());
        properties.setProperty("connectTimeout", Long.toString(Math.max(1, connectTimeout.toSeconds())));
        properties.setProperty("loginTimeout", Long.toString(Math.max(1, connectTimeout.toSeconds())));
        properties.setProperty("socketTimeout", Long.toString(Math.max(1, statementTimeout.toSeconds())));
        properties.setProperty("ApplicationName", "jit-broker issuer-service");
        return DriverManager.getConnection(settings.jdbcUrl(), properties);
    }

    private PostgresTargetSettings settings(String target) {
        PostgresTargetSettings settings = targets.get(target);
        if (settings == null) {
            throw new PostgresTargetException("PostgreSQL target " + target + " is not configured", null);
        }
        return settings;
    }

    /** The server's message and SQLState; never the statement (the driver does not echo it). */
    private static PostgresTargetException failure(String what, SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        return new PostgresTargetException(what + ": " + message + " (SQLState " + e.getSQLState() + ")", e);
    }

    private static String role(String role) {
        if (!PostgresAccess.isRoleName(role)) {
            throw new IllegalArgumentException("not a role name this issuer creates: " + role);
        }
        return '"' + role + '"';
    }

    private static String identifier(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain lower-case identifier: " + name);
        }
        return '"' + name + '"';
    }

    private static String privileges(PostgresAccess.TablePrivileges table) {
        for (String privilege : table.privileges()) {
            if (!PostgresAccess.PRIVILEGES.contains(privilege)) {
                throw new IllegalArgumentException("not a privilege this issuer grants: " + privilege);
            }
        }
        return String.join(", ", table.privileges());
    }
}
