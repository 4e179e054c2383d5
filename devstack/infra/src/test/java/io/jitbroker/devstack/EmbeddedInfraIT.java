package io.jitbroker.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EmbeddedInfraIT {

    @Test
    void shouldCreateTopicsWhenBrokerStarted() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            kafka.createTopics(List.of("probe.a", "probe.b"), 2);

            try (var admin = kafka.admin()) {
                Set<String> names = admin.listTopics().names().get();
                assertTrue(names.containsAll(Set.of("probe.a", "probe.b")), names.toString());
            }
        }
    }

    @Test
    void shouldServeSqlWhenPostgresStarted() throws Exception {
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startTemporary()) {
            postgres.createDatabase("probe_db");

            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("probe_db"), EmbeddedPostgresServer.USER, "");
                 ResultSet rs = c.createStatement().executeQuery("SELECT current_database()")) {
                rs.next();
                assertEquals("probe_db", rs.getString(1));
            }
        }
    }

    @Test
    void shouldRefuseOtherLoginsWhenTheDatabaseIsPrivate() throws Exception {
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startTemporary(true)) {
            // given: a service's database, and a login like the ones issued to workloads
            postgres.createPrivateDatabase("service_db");
            postgres.createDatabase("open_db");
            try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl("postgres"), EmbeddedPostgresServer.USER, "");
                 Statement statement = admin.createStatement()) {
                statement.execute("CREATE ROLE visitor LOGIN PASSWORD 'visitor-secret'");
            }

            // then: it cannot connect to the private one (it still can to one left open)
            SQLException refused = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(postgres.jdbcUrl("service_db"), "visitor", "visitor-secret"));
            assertEquals("42501", refused.getSQLState(), refused.getMessage());
            try (Connection open = DriverManager.getConnection(postgres.jdbcUrl("open_db"), "visitor", "visitor-secret")) {
                assertTrue(open.isValid(5));
            }
        }
    }

    @Test
    void shouldAskEveryRoleButPostgresForItsPasswordWhenPasswordAuthenticationOn() throws Exception {
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startTemporary(true)) {
            // given: a role with a password and one whose password has expired
            String url = postgres.jdbcUrl("postgres");
            try (Connection admin = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, "");
                 Statement statement = admin.createStatement()) {
                statement.execute("CREATE ROLE probe LOGIN PASSWORD 'probe-secret'");
                statement.execute("CREATE ROLE expired LOGIN PASSWORD 'probe-secret' VALID UNTIL '2000-01-01 00:00:00+00'");
            }

            // then: the right password logs in, a wrong one or an expired role does not
            try (Connection probe = DriverManager.getConnection(url, "probe", "probe-secret");
                 ResultSet rs = probe.createStatement().executeQuery("SELECT current_user")) {
                rs.next();
                assertEquals("probe", rs.getString(1));
            }
            SQLException wrong = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "probe", "guess"));
            assertEquals("28P01", wrong.getSQLState(), wrong.getMessage());
            SQLException expired = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(url, "expired", "probe-secret"));
            assertEquals("28P01", expired.getSQLState(), expired.getMessage());
        }
    }

    @Test
    void shouldMintVerifiableTokenWhenWorkloadInTrustDomain() throws Exception {
        try (DevIdentityProvider idp = DevIdentityProvider.start("127.0.0.1", 0)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> minted = http.send(HttpRequest.newBuilder(URI.create(idp.tokensUrl()))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"workload\":\"spiffe://dev.local/ci/deployer\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String jwks = http.send(HttpRequest.newBuilder(URI.create(idp.jwksUrl())).build(),
                    HttpResponse.BodyHandlers.ofString()).body();

            assertEquals(200, minted.statusCode(), minted.body());
            String token = (String) com.nimbusds.jose.util.JSONObjectUtils.parse(minted.body()).get("token");
            SignedJWT jwt = SignedJWT.parse(token);
            ECKey key = (ECKey) JWKSet.parse(jwks).getKeyByKeyId(jwt.getHeader().getKeyID());
            assertTrue(jwt.verify(new ECDSAVerifier(key)));
            assertEquals("spiffe://dev.local/ci/deployer", jwt.getJWTClaimsSet().getSubject());
            assertEquals(List.of("jit-broker"), jwt.getJWTClaimsSet().getAudience());
        }
    }

    @Test
    void shouldRefuseWhenWorkloadOutsideTrustDomain() throws Exception {
        try (DevIdentityProvider idp = DevIdentityProvider.start("127.0.0.1", 0)) {
            HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(idp.tokensUrl()))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"workload\":\"spiffe://evil.example/x\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(400, refused.statusCode());
            assertTrue(refused.body().contains("trust domain"), refused.body());
        }
    }
}
