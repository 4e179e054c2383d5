package io.jitbroker.devstack.launcher;

import io.jitbroker.devstack.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dev stack's PostgreSQL target {@code orders-db}: the database {@code orders} on the embedded
 * server, with a table the example policy lets the CI deployer read ({@code public.orders}) and one
 * it never grants ({@code public.payroll}). Nobody but {@code postgres} has any privilege on them;
 * issuer-service creates a login per grant and drops it when the grant is revoked.
 */
final class DemoPostgresTarget {

    static final String TARGET = "orders-db";
    static final String DATABASE = "orders";
    static final String TABLES = "public.orders, public.payroll";

    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS public.orders (
                id       int PRIMARY KEY,
                item     text NOT NULL,
                quantity int NOT NULL,
                status   text NOT NULL);
            INSERT INTO public.orders VALUES
                (1001, 'keyboard', 2, 'shipped'),
                (1002, 'monitor', 1, 'paid'),
                (1003, 'usb-c cable', 5, 'pending')
                ON CONFLICT (id) DO NOTHING;
            CREATE TABLE IF NOT EXISTS public.payroll (
                employee text PRIMARY KEY,
                salary   int NOT NULL);
            INSERT INTO public.payroll VALUES ('alice', 98000), ('bob', 87000) ON CONFLICT (employee) DO NOTHING;
            REVOKE ALL ON TABLE public.orders, public.payroll FROM PUBLIC;
            REVOKE ALL ON SCHEMA public FROM PUBLIC;
            REVOKE TEMPORARY ON DATABASE orders FROM PUBLIC;
            """;

    private DemoPostgresTarget() {
    }

    /**
     * Creates the database and its tables. CONNECT stays granted to PUBLIC (PostgreSQL's default):
     * a login must reach the database; the issuer grants USAGE on the schema and the table privileges.
     */
    static void create(EmbeddedPostgresServer postgres) {
        postgres.createDatabase(DATABASE);
        try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl(DATABASE), EmbeddedPostgresServer.USER, "");
             Statement statement = admin.createStatement()) {
            statement.execute(SCHEMA);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the demo tables of PostgreSQL target " + TARGET, e);
        }
    }

    /** The issuer's configuration of this target (see issuer-service's PostgresTargetSettings). */
    static Map<String, String> issuerEnvironment(EmbeddedPostgresServer postgres) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JIT_POSTGRES_TARGETS", TARGET);
        env.put("JIT_POSTGRES_TARGET_ORDERS_DB_URL", postgres.jdbcUrl(DATABASE));
        env.put("JIT_POSTGRES_TARGET_ORDERS_DB_ADMIN_USER", EmbeddedPostgresServer.USER);
        env.put("JIT_POSTGRES_TARGET_ORDERS_DB_ADMIN_PASSWORD", "");
        return env;
    }

    /** For the start banner. */
    static String describe(String host, EmbeddedPostgresServer postgres) {
        return "postgresql://" + host + ":" + postgres.port() + "/" + DATABASE + "  (tables " + TABLES
                + "; logins per grant from issuer-service)";
    }
}
