package io.jitbroker.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (binaries shipped in a Maven artifact) started as a child process,
 * listening on loopback only. The superuser {@code postgres} always logs in without a password;
 * with password authentication every other role must give its SCRAM-SHA-256 password, so that
 * passwords and VALID UNTIL count, as on a real server.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    public static final String USER = "postgres";

    /** Trust for the superuser only (local socket and loopback); a SCRAM password for every other role. */
    private static final String PASSWORD_HBA = """
            local all postgres              trust
            host  all postgres 127.0.0.1/32 trust
            host  all postgres ::1/128      trust
            local all all                   scram-sha-256
            host  all all      127.0.0.1/32 scram-sha-256
            host  all all      ::1/128      scram-sha-256
            """;

    private static final String LOOPBACK = "127.0.0.1";

    private final EmbeddedPostgres postgres;
    private final String host;
    private final Path dataDir;
    private final Path hbaFile;
    private final boolean deleteOnClose;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, String host, Path dataDir, Path hbaFile, boolean deleteOnClose) {
        this.postgres = postgres;
        this.host = host;
        this.dataDir = dataDir;
        this.hbaFile = hbaFile;
        this.deleteOnClose = deleteOnClose;
    }

    /** A server on a free port with a temporary data directory, deleted on close. */
    public static EmbeddedPostgresServer startTemporary() {
        return startTemporary(false);
    }

    /** The same, with password authentication for every role but {@code postgres} if asked. */
    public static EmbeddedPostgresServer startTemporary(boolean passwordAuthentication) {
        try {
            return start(Files.createTempDirectory("jit-postgres-"), 0, true, passwordAuthentication);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server that trusts every role on loopback (no password checked). */
    public static EmbeddedPostgresServer start(Path dataDir, int port, boolean deleteOnClose) {
        return start(dataDir, port, deleteOnClose, false);
    }

    /**
     * @param dataDir                kept across restarts unless {@code deleteOnClose}
     * @param port                   0 for a free one
     * @param passwordAuthentication every role but {@code postgres} logs in with its SCRAM-SHA-256 password
     */
    public static EmbeddedPostgresServer start(Path dataDir, int port, boolean deleteOnClose,
                                               boolean passwordAuthentication) {
        return start(dataDir, port, deleteOnClose, LOOPBACK, passwordAuthentication ? PASSWORD_HBA : null);
    }

    /**
     * A server on {@code address} that trusts {@code postgres} from {@code clients} (a CIDR): the chaos
     * harness's cluster, whose hosts each have their own address. It listens on loopback too (where the
     * embedded server's own readiness check connects). Its data stays across restarts.
     */
    public static EmbeddedPostgresServer startOnNetwork(Path dataDir, int port, String address, String clients) {
        return start(dataDir, port, false, address, "local all postgres trust\nhost all postgres 127.0.0.1/32 trust\n"
                + "host all postgres " + clients + " trust\n");
    }

    private static EmbeddedPostgresServer start(Path dataDir, int port, boolean deleteOnClose, String address, String hba) {
        long started = System.nanoTime();
        boolean passwordAuthentication = PASSWORD_HBA.equals(hba);
        // Beside the data directory, not in it: initdb wants an empty directory on first start.
        Path hbaFile = hba != null ? dataDir.resolveSibling(dataDir.getFileName() + "-pg_hba.conf") : null;
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port == 0 ? FreePorts.find() : port)
                    .setServerConfig("listen_addresses", LOOPBACK.equals(address) ? address : LOOPBACK + "," + address)
                    .setServerConfig("max_connections", "200");
            if (hba != null) {
                Files.writeString(hbaFile, hba);
                builder.setServerConfig("hba_file", hbaFile.toString())
                        .setServerConfig("password_encryption", "scram-sha-256");
            }
            EmbeddedPostgres postgres = builder.start();
            LOG.info("PostgreSQL ready on {}:{} in {} ms, data in {}, {}", address, postgres.getPort(),
                    (System.nanoTime() - started) / 1_000_000, dataDir,
                    passwordAuthentication ? "password (SCRAM) authentication for all roles but postgres"
                            : "no password checked");
            return new EmbeddedPostgresServer(postgres, address, dataDir, hbaFile, deleteOnClose);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL in " + dataDir, e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port() + "/" + database;
    }

    /**
     * Creates a database only its owner (and superusers) may reach: PUBLIC loses CONNECT and TEMPORARY
     * on it, as deploy/postgres/init-databases.sh does in production, so that a dynamic login handed
     * to a workload cannot open a service's database and read its catalogs.
     */
    public void createPrivateDatabase(String name) {
        createDatabase(name);
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("REVOKE ALL ON DATABASE " + name + " FROM PUBLIC");
        } catch (SQLException e) {
            throw new IllegalStateException("could not make database " + name + " private", e);
        }
    }

    /** Creates the database if it does not exist yet (PostgreSQL's default: any login may connect). */
    public void createDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("invalid database name: " + name);
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("PostgreSQL did not stop cleanly", e);
        }
        if (deleteOnClose) {
            Directories.deleteRecursively(dataDir);
            if (hbaFile != null) {
                try {
                    Files.deleteIfExists(hbaFile);
                } catch (IOException e) {
                    LOG.warn("could not delete {}", hbaFile, e);
                }
            }
        }
    }
}
