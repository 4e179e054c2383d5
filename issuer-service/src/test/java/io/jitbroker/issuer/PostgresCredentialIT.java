package io.jitbroker.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.jitbroker.contracts.Topics;
import io.jitbroker.devstack.DevIdentityProvider;
import io.jitbroker.devstack.EmbeddedPostgresServer;
import io.jitbroker.devstack.FreePorts;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.RevocationEnforced;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.issuer.support.IssuerHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dynamic PostgreSQL logins against real PostgreSQL: the embedded server of the test infrastructure
 * holds a demo target database, {@code orders}, with a granted table and one that is not; a second
 * target is a server this test starts and stops, to be unreachable at will. Password authentication
 * (SCRAM) is switched on for every role but the superuser, so that passwords and VALID UNTIL count.
 */
class PostgresCredentialIT {

    private static final String TARGET = "orders-db";
    private static final String FLAKY_TARGET = "flaky-db";
    private static final String TARGET_DATABASE = "orders";
    /** Long enough to pick the login up and use it on a loaded machine, short enough to wait out. */
    private static final long SHORT_TTL_SECONDS = 8;
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private static IssuerHarness issuer;
    private static DevIdentityProvider idp;
    private static int flakyPort;
    private static Path flakyData;

    @BeforeAll
    static void startIssuerWithDemoTarget() throws IOException {
        flakyPort = FreePorts.find();
        flakyData = Files.createTempDirectory("jit-flaky-target-");
        issuer = IssuerHarness.start(infra -> {
            prepareDemoTarget(infra);
            Map<String, Object> properties = new HashMap<>();
            properties.put("jit.postgres.targets", TARGET + "," + FLAKY_TARGET);
            properties.put("JIT_POSTGRES_TARGET_ORDERS_DB_URL", infra.postgres().jdbcUrl(TARGET_DATABASE));
            properties.put("JIT_POSTGRES_TARGET_ORDERS_DB_ADMIN_USER", EmbeddedPostgresServer.USER);
            properties.put("JIT_POSTGRES_TARGET_ORDERS_DB_ADMIN_PASSWORD", "");
            properties.put("JIT_POSTGRES_TARGET_FLAKY_DB_URL", "jdbc:postgresql://127.0.0.1:" + flakyPort + "/" + TARGET_DATABASE);
            properties.put("JIT_POSTGRES_TARGET_FLAKY_DB_ADMIN_USER", EmbeddedPostgresServer.USER);
            properties.put("jit.postgres.retry-interval", "200ms");
            properties.put("jit.postgres.max-retry-backoff", "1s");
            properties.put("jit.postgres.connect-timeout", "2s");
            return properties;
        });
        idp = issuer.idp();
    }

    @AfterAll
    static void stopEverything() throws IOException {
        if (issuer != null) {
            issuer.close();
        }
        if (flakyData != null) {
            deleteRecursively(flakyData);
        }
    }

    @Test
    void shouldAllowExactlyTheApprovedPrivilegesWhenLoginPickedUp() throws Exception {
        // given
        GrantIssued grant = issue(TARGET, "public.orders", 900, "SELECT");

        // when
        Map<String, Object> login = pickUp(grant);

        // then: the announced grant names the role, never a secret
        String role = (String) login.get("username");
        String password = (String) login.get("password");
        assertEquals("postgres", grant.getCredentialType());
        assertEquals(role, grant.getCredentialId());
        assertEquals("127.0.0.1", login.get("host"));
        assertEquals(TARGET_DATABASE, login.get("database"));
        assertTrue(password.length() >= 32, "a long random password");
        // and the login does exactly what was approved
        try (Connection session = connect(login, password)) {
            assertEquals(2, count(session, "SELECT count(*) FROM public.orders"));
            assertRefused("42501", () -> update(session, "DELETE FROM public.orders"));
            assertRefused("42501", () -> update(session, "INSERT INTO public.orders VALUES (3, 'mouse')"));
            assertRefused("42501", () -> count(session, "SELECT count(*) FROM public.payroll"));
            assertRefused("42501", () -> update(session, "CREATE TABLE public.backdoor (id int)"));
        }
        assertRefused("28P01", () -> connect(login, password + "x").close());
        try (Connection admin = targetAdmin(); PreparedStatement query = admin.prepareStatement("""
                SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolinherit, rolvaliduntil,
                       (SELECT count(*) FROM pg_auth_members WHERE member = r.oid) AS memberships
                FROM pg_roles r WHERE rolname = ?""")) {
            query.setString(1, role);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                assertTrue(row.getBoolean("rolcanlogin"));
                assertFalse(row.getBoolean("rolsuper") || row.getBoolean("rolcreaterole") || row.getBoolean("rolcreatedb")
                        || row.getBoolean("rolinherit"));
                assertEquals(grant.getExpiresAt(), row.getTimestamp("rolvaliduntil").toInstant());
                assertEquals(0, row.getInt("memberships"));
            }
        }
        assertNoPasswordKept(password);
    }

    @Test
    void shouldTerminateOpenSessionAndDropRoleWhenRevoked() throws Exception {
        // given: the workload is connected
        GrantIssued grant = issue(TARGET, "public.orders", 900, "SELECT");
        Map<String, Object> login = pickUp(grant);
        String password = (String) login.get("password");
        Connection session = connect(login, password);
        assertEquals(2, count(session, "SELECT count(*) FROM public.orders"));

        // when
        RevocationEnforced enforced = issuer.revoke(grant, RevocationReason.TASK_COMPLETED);

        // then: enforced at the target, the session is gone, the login fails, the role no longer exists
        assertEquals("postgres:" + TARGET, enforced.getBackend());
        assertEquals(grant.getCredentialId(), enforced.getCredentialId());
        assertRefused(null, () -> count(session, "SELECT count(*) FROM public.orders"));
        session.close();
        assertRefused("28P01", () -> connect(login, password).close());
        assertFalse(roleExists(grant.getCredentialId()));
        assertNoPasswordKept(password);
    }

    @Test
    void shouldRefuseNewLoginsAtExpiryAndEndOpenSessionWhenTtlRevocationArrives() throws Exception {
        // given: a short grant, its login in use
        GrantIssued grant = issue(TARGET, "public.orders", SHORT_TTL_SECONDS, "SELECT");
        Map<String, Object> login = pickUp(grant);
        String password = (String) login.get("password");
        Connection session = connect(login, password);

        // when: the grant's expiry passes
        Awaitility.await().atMost(Duration.ofSeconds(SHORT_TTL_SECONDS + 30))
                .until(() -> Instant.now().isAfter(grant.getExpiresAt().plusSeconds(1)));

        // then: VALID UNTIL already refuses new logins, but PostgreSQL leaves the open session alone...
        assertRefused("28P01", () -> connect(login, password).close());
        assertEquals(2, count(session, "SELECT count(*) FROM public.orders"));
        // ...until the revocation (TTL_EXPIRED, as revocation-service sends it) ends it and drops the role
        RevocationEnforced enforced = issuer.revoke(grant, RevocationReason.TTL_EXPIRED);
        assertEquals(RevocationReason.TTL_EXPIRED, enforced.getReason());
        assertRefused(null, () -> count(session, "SELECT count(*) FROM public.orders"));
        session.close();
        assertFalse(roleExists(grant.getCredentialId()));
    }

    @Test
    void shouldKeepRetryingAndRaiseAlertWhileTargetUnreachableThenDropRoleWhenItIsBack() throws Exception {
        // given: a login created on a target that then goes down
        String unreachableSeconds = "jit_issuer_postgres_target_unreachable_seconds{target=\"" + FLAKY_TARGET + "\"}";
        EmbeddedPostgresServer flaky = EmbeddedPostgresServer.start(flakyData.resolve("pg"), flakyPort, false);
        Map<String, Object> login;
        GrantIssued grant;
        try {
            flaky.createDatabase(TARGET_DATABASE);
            createTable(flaky.jdbcUrl(TARGET_DATABASE), "CREATE TABLE IF NOT EXISTS public.orders (id int)");
            grant = issue(FLAKY_TARGET, "public.orders", 900, "SELECT");
            login = pickUp(grant);
        } finally {
            flaky.close();
        }

        // when: revoked while it is down
        issuer.produce(Topics.Names.REVOCATIONS, grant.getGrantId(), IssuerHarness.revocation(grant, RevocationReason.MANUAL));

        // then: retried, counted as pending, the alert gauge rises, and nothing is announced
        Awaitility.await().atMost(DEADLINE).until(() -> issuer.metric(unreachableSeconds).orElse(0) > 1.0);
        assertEquals(1.0, issuer.metric("jit_issuer_postgres_revocations_pending{target=\"" + FLAKY_TARGET + "\"}")
                .orElse(0));
        assertTrue(issuer.metric("jit_issuer_postgres_target_failures_total{target=\"" + FLAKY_TARGET + "\"}")
                .orElse(0) >= 2, "retried");
        assertTrue(issuer.enforcements().seenSoFar(r -> r.key().equals(grant.getGrantId())).isEmpty());
        HttpResponse<String> pickupMeanwhile = issuer.get(credentialPath(grant), idp.mint(IssuerHarness.DEPLOYER));
        assertEquals(410, pickupMeanwhile.statusCode(), "revoked here at once");

        // and when the target is back, the role is dropped, the enforcement announced, the alert cleared
        flaky = EmbeddedPostgresServer.start(flakyData.resolve("pg"), flakyPort, false);
        try {
            RevocationEnforced enforced = issuer.enforcements().await(r -> r.key().equals(grant.getGrantId())).value();
            assertEquals("postgres:" + FLAKY_TARGET, enforced.getBackend());
            try (Connection admin = DriverManager.getConnection(flaky.jdbcUrl(TARGET_DATABASE), EmbeddedPostgresServer.USER, "");
                 PreparedStatement query = admin.prepareStatement("SELECT count(*) FROM pg_roles WHERE rolname = ?")) {
                query.setString(1, (String) login.get("username"));
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    assertEquals(0, row.getInt(1));
                }
            }
            Awaitility.await().atMost(DEADLINE).until(() -> issuer.metric(unreachableSeconds).orElse(-1) == 0.0);
        } finally {
            flaky.close();
        }
    }

    @Test
    void shouldAnswer503AndKeepGrantWhenTargetUnreachableAtPickup() throws Exception {
        // given: the flaky target is down
        GrantIssued grant = issue(FLAKY_TARGET, "public.orders", 900, "SELECT");

        // when
        HttpResponse<String> response = issuer.get(credentialPath(grant), idp.mint(IssuerHarness.DEPLOYER));

        // then
        assertEquals(503, response.statusCode(), response.body());
        assertEquals("target_unavailable", JSONObjectUtils.parse(response.body()).get("error"));
        try (Connection db = issuer.database();
             PreparedStatement query = db.prepareStatement("SELECT picked_up_at FROM grants WHERE grant_id = ?")) {
            query.setObject(1, UUID.fromString(grant.getGrantId()));
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                assertEquals(null, row.getTimestamp(1), "the workload can try again");
            }
        }
    }

    @Test
    void shouldDeadLetterDecisionWhenResourceIdTriesToSmuggleSql() throws Exception {
        // given
        String requestId = "req-" + UUID.randomUUID();

        // when
        issuer.produce(Topics.Names.ACCESS_DECISIONS, requestId, IssuerHarness.approved(requestId, 900,
                IssuerHarness.resource("postgres", TARGET + "/public.orders;DROP/**/TABLE/**/public.payroll", "SELECT"))
                .build());

        // then
        DeadLetter letter = issuer.deadLetters().await(r -> requestId.equals(r.key())).value();
        assertTrue(letter.getReason().contains("<target>/<schema>.<table>"), letter.getReason());
        try (Connection admin = targetAdmin()) {
            assertEquals(1, count(admin, "SELECT count(*) FROM public.payroll"));
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** The demo target: two tables in the orders database, and password authentication for all but postgres. */
    private static void prepareDemoTarget(Infrastructure infra) {
        infra.postgres().createDatabase(TARGET_DATABASE);
        createTable(infra.postgres().jdbcUrl(TARGET_DATABASE), """
                CREATE TABLE public.orders (id int PRIMARY KEY, item text NOT NULL);
                INSERT INTO public.orders VALUES (1, 'keyboard'), (2, 'monitor');
                CREATE TABLE public.payroll (employee text, salary int);
                INSERT INTO public.payroll VALUES ('alice', 100)""");
        try (Connection admin = DriverManager.getConnection(infra.postgres().jdbcUrl("postgres"),
                EmbeddedPostgresServer.USER, ""); Statement statement = admin.createStatement()) {
            String hbaFile;
            try (ResultSet row = statement.executeQuery("SHOW hba_file")) {
                row.next();
                hbaFile = row.getString(1);
            }
            Files.writeString(Path.of(hbaFile), """
                    local all postgres trust
                    host  all postgres 127.0.0.1/32 trust
                    host  all postgres ::1/128 trust
                    host  all all 127.0.0.1/32 scram-sha-256
                    host  all all ::1/128 scram-sha-256
                    """);
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("could not switch the test server to password authentication", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createTable(String jdbcUrl, String sql) {
        try (Connection admin = DriverManager.getConnection(jdbcUrl, EmbeddedPostgresServer.USER, "");
             Statement statement = admin.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not prepare the demo tables", e);
        }
    }

    private static GrantIssued issue(String target, String table, long ttlSeconds, String... privileges) {
        return issuer.issue(IssuerHarness.approved("req-" + UUID.randomUUID(), ttlSeconds,
                IssuerHarness.resource("postgres", target + "/" + table, privileges)).build());
    }

    private static String credentialPath(GrantIssued grant) {
        return "/v1/grants/" + grant.getGrantId() + "/credential";
    }

    private static Map<String, Object> pickUp(GrantIssued grant) throws Exception {
        HttpResponse<String> response = issuer.get(credentialPath(grant), idp.mint(IssuerHarness.DEPLOYER));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
        Map<String, Object> login = JSONObjectUtils.parse(response.body());
        assertEquals("postgres", login.get("type"));
        return login;
    }

    private static Connection connect(Map<String, Object> login, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", (String) login.get("username"));
        properties.setProperty("password", password);
        return DriverManager.getConnection("jdbc:postgresql://" + login.get("host") + ":" + login.get("port") + "/"
                + login.get("database"), properties);
    }

    private static Connection targetAdmin() throws SQLException {
        return DriverManager.getConnection(issuer.infra().postgres().jdbcUrl(TARGET_DATABASE), EmbeddedPostgresServer.USER, "");
    }

    private static boolean roleExists(String role) throws SQLException {
        try (Connection admin = targetAdmin();
             PreparedStatement query = admin.prepareStatement("SELECT count(*) FROM pg_roles WHERE rolname = ?")) {
            query.setString(1, role);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1) > 0;
            }
        }
    }

    private static int count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getInt(1);
        }
    }

    private static void update(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    /** Nothing about the password in the issuer's database or on the topics this test reads. */
    private static void assertNoPasswordKept(String password) throws SQLException {
        try (Connection db = issuer.database(); Statement query = db.createStatement();
             ResultSet rows = query.executeQuery("SELECT coalesce(string_agg(row_to_json(t)::text, ''), '') FROM "
                     + "(SELECT * FROM grants) t")) {
            rows.next();
            assertFalse(rows.getString(1).contains(password), "the password is not stored");
        }
        assertTrue(issuer.grants().seenSoFar(r -> r.value().toString().contains(password)).isEmpty());
        assertTrue(issuer.enforcements().seenSoFar(r -> r.value().toString().contains(password)).isEmpty());
    }

    private interface SqlAction {
        void run() throws SQLException;
    }

    /** @param sqlState the expected SQLState; null for any failure (a terminated session says several things) */
    private static void assertRefused(String sqlState, SqlAction action) {
        SQLException refused = assertThrows(SQLException.class, action::run);
        if (sqlState != null) {
            assertEquals(sqlState, refused.getSQLState(), refused.getMessage());
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
