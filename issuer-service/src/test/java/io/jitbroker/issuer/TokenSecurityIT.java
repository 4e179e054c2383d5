package io.jitbroker.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import io.jitbroker.devstack.DevIdentityProvider;
import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.issuer.domain.MasterKey;
import io.jitbroker.issuer.domain.SigningKeyStore;
import io.jitbroker.issuer.domain.SigningKeys;
import io.jitbroker.issuer.support.DpopClient;
import io.jitbroker.issuer.support.ExampleResourceServer;
import io.jitbroker.issuer.support.IssuerHarness;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The credential as a security control, on the real infrastructure: signing keys rotate without
 * breaking live tokens and are retired once their tokens are gone, fail closed under a wrong master
 * key; DPoP binds a credential to its workload's key so a copy is useless; introspection is the
 * authority an example resource server relies on.
 */
class TokenSecurityIT {

    private static final String ORDERS_READ = "http:orders-api:read";
    /** Long enough to use a credential on a loaded machine, short enough to wait out in a test. */
    private static final long SHORT_TTL_SECONDS = 8;

    private static IssuerHarness issuer;
    private static DevIdentityProvider idp;
    private static ExampleResourceServer orders;

    @BeforeAll
    static void startIssuerAndResourceServer() throws Exception {
        issuer = IssuerHarness.start(Map.of("jit.issuer.key-maintenance-interval", "300ms"));
        idp = issuer.idp();
        orders = ExampleResourceServer.start(issuer.url("/v1/introspect"),
                () -> idp.mint(IssuerHarness.RESOURCE_SERVER), ORDERS_READ);
    }

    @AfterAll
    static void stopEverything() {
        if (orders != null) {
            orders.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    // --- the example resource server -------------------------------------------------------------

    @Test
    void shouldServeLiveCredentialAndRefuseItOnceRevokedWhenResourceServerIntrospects() {
        // given: a live bearer credential
        GrantIssued grant = issueOrdersGrant(900, null);
        String credential = pickUpBearer(grant);
        assertEquals(200, callOrders("Bearer " + credential, null).statusCode());

        // when
        issuer.revoke(grant, RevocationReason.TASK_COMPLETED);

        // then
        HttpResponse<String> refused = callOrders("Bearer " + credential, null);
        assertEquals(401, refused.statusCode(), refused.body());
    }

    @Test
    void shouldServeDpopBoundCredentialOnlyWithFreshProofByItsKey() {
        // given: a credential bound to the workload's key, used once as intended
        DpopClient workloadKey = DpopClient.generate();
        GrantIssued grant = issueOrdersGrant(900, workloadKey.thumbprint());
        String credential = pickUpWithProof(grant, workloadKey).credential();
        String proof = workloadKey.proof("GET", orders.ordersUrl(), credential);
        assertEquals(200, callOrders("DPoP " + credential, proof).statusCode());

        // when: a thief replays what it captured: the request as is, the token alone, the token with its own key
        HttpResponse<String> replayedRequest = callOrders("DPoP " + credential, proof);
        HttpResponse<String> tokenAsBearer = callOrders("Bearer " + credential, null);
        HttpResponse<String> tokenWithoutProof = callOrders("DPoP " + credential, null);
        HttpResponse<String> tokenWithThiefsProof = callOrders("DPoP " + credential,
                DpopClient.generate().proof("GET", orders.ordersUrl(), credential));

        // then
        assertEquals(401, replayedRequest.statusCode(), "a proof is single-use");
        assertEquals(401, tokenAsBearer.statusCode());
        assertEquals(401, tokenWithoutProof.statusCode());
        assertEquals(401, tokenWithThiefsProof.statusCode());
        assertEquals(200, callOrders("DPoP " + credential, workloadKey.proof("GET", orders.ordersUrl(), credential))
                .statusCode(), "the workload itself still gets in with a fresh proof");
    }

    // --- DPoP at pickup ------------------------------------------------------------------------------

    @Test
    void shouldRequireProofByDeclaredKeyWhenAccessRequestDeclaredOne() throws Exception {
        // given
        DpopClient workloadKey = DpopClient.generate();
        GrantIssued grant = issueOrdersGrant(900, workloadKey.thumbprint());

        // when
        HttpResponse<String> withoutProof = pickUp(grant, null);
        HttpResponse<String> byAnotherKey = pickUp(grant, DpopClient.generate());
        HttpResponse<String> byDeclaredKey = pickUp(grant, workloadKey);

        // then
        assertEquals(400, withoutProof.statusCode());
        assertEquals("dpop_proof_required", JSONObjectUtils.parse(withoutProof.body()).get("error"));
        assertEquals(400, byAnotherKey.statusCode());
        assertEquals("dpop_key_mismatch", JSONObjectUtils.parse(byAnotherKey.body()).get("error"));
        assertEquals(200, byDeclaredKey.statusCode(), byDeclaredKey.body());
        Map<String, Object> body = JSONObjectUtils.parse(byDeclaredKey.body());
        assertEquals("DPoP", body.get("tokenType"));
        SignedJWT jwt = SignedJWT.parse((String) body.get("credential"));
        assertEquals(workloadKey.thumbprint(), jwt.getJWTClaimsSet().getJSONObjectClaim("cnf").get("jkt"));
    }

    @Test
    void shouldRefuseWithoutBurningGrantWhenPickupProofIsForAnotherUrl() throws Exception {
        // given: a proof made for another grant's pickup
        DpopClient workloadKey = DpopClient.generate();
        GrantIssued grant = issueOrdersGrant(900, workloadKey.thumbprint());
        String svid = idp.mint(IssuerHarness.DEPLOYER);
        String misdirected = workloadKey.proof("GET", URI.create(issuer.issuerUrl() + "/v1/grants/" + UUID.randomUUID()
                + "/credential"), svid);

        // when
        HttpResponse<String> response = issuer.get(credentialPath(grant), svid, Map.of("DPoP", misdirected));

        // then
        assertEquals(400, response.statusCode());
        assertEquals("invalid_dpop_proof", JSONObjectUtils.parse(response.body()).get("error"));
        assertEquals(200, pickUp(grant, workloadKey).statusCode(), "the grant can still be picked up properly");
    }

    @Test
    void shouldBindToProvenKeyWhenPickupCarriesProofThoughRequestDeclaredNone() throws Exception {
        // given
        DpopClient workloadKey = DpopClient.generate();
        GrantIssued grant = issueOrdersGrant(900, null);

        // when
        HttpResponse<String> response = pickUp(grant, workloadKey);

        // then
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("DPoP", JSONObjectUtils.parse(response.body()).get("tokenType"));
    }

    // --- introspection ---------------------------------------------------------------------------

    @Test
    void shouldReportBoundCredentialActiveWithCnfOnlyWhenProofForwarded() throws Exception {
        // given
        DpopClient workloadKey = DpopClient.generate();
        String credential = pickUpWithProof(issueOrdersGrant(900, workloadKey.thumbprint()), workloadKey).credential();
        URI resource = URI.create("https://orders.internal/orders/42");

        // when
        HttpResponse<String> withoutProof = issuer.introspect(credential, resourceServerToken());
        HttpResponse<String> withProof = issuer.postForm("/v1/introspect", resourceServerToken(), Map.of(
                "token", credential, "dpop_proof", workloadKey.proof("GET", resource, credential),
                "htm", "GET", "htu", resource.toString()));

        // then
        assertEquals("{\"active\":false}", withoutProof.body());
        Map<String, Object> active = JSONObjectUtils.parse(withProof.body());
        assertEquals(true, active.get("active"), withProof.body());
        assertEquals("DPoP", active.get("token_type"));
        assertEquals(Map.of("jkt", workloadKey.thumbprint()), active.get("cnf"));
    }

    @Test
    void shouldReportTamperedCredentialInactive() {
        // given: the subject rewritten, the signature kept
        String credential = pickUpBearer(issueOrdersGrant(900, null));
        String[] parts = credential.split("\\.");
        String claims = new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8)
                .replace(IssuerHarness.DEPLOYER, "spiffe://dev.local/ci/attacker");
        String tampered = parts[0] + "." + Base64URL.encode(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        // when
        HttpResponse<String> response = issuer.introspect(tampered, resourceServerToken());

        // then
        assertEquals("{\"active\":false}", response.body());
    }

    @Test
    void shouldRefuseWith400NamingFieldWhenProofForwardedWithoutHtu() throws Exception {
        // when
        HttpResponse<String> response = issuer.postForm("/v1/introspect", resourceServerToken(), Map.of(
                "token", "x.y.z", "dpop_proof", "a.b.c", "htm", "GET"));

        // then
        assertEquals(400, response.statusCode());
        assertTrue(((String) JSONObjectUtils.parse(response.body()).get("message")).contains("htu"), response.body());
    }

    // --- signing keys ----------------------------------------------------------------------------

    @Test
    void shouldKeepOldCredentialVerifiableUntilItExpiresThenRetireItsKeyWhenKeysRotate() throws Exception {
        // given: a short-lived credential signed by a key that then stops being the newest
        String keyA = rotate();
        String oldCredential = pickUpBearer(issueOrdersGrant(SHORT_TTL_SECONDS, null));
        assertEquals(keyA, SignedJWT.parse(oldCredential).getHeader().getKeyID());

        // when: rotated again (on-demand rotations a few seconds apart make separate keys)
        String keyB = rotate();

        // then: the new key signs, both are published, and the old credential is still live and verifiable
        assertNotEquals(keyA, keyB);
        String newCredential = pickUpBearer(issueOrdersGrant(900, null));
        assertEquals(keyB, SignedJWT.parse(newCredential).getHeader().getKeyID());
        JWKSet jwks = jwks();
        assertTrue(jwks.getKeyByKeyId(keyA) != null && jwks.getKeyByKeyId(keyB) != null, jwks.toString());
        assertTrue(SignedJWT.parse(oldCredential).verify(new ECDSAVerifier((ECKey) jwks.getKeyByKeyId(keyA))));
        assertEquals(true, JSONObjectUtils.parse(issuer.introspect(oldCredential, resourceServerToken()).body())
                .get("active"));

        // and once the old credential has expired, its key is retired: unpublished, erased, verifying nothing
        Awaitility.await().atMost(Duration.ofSeconds(SHORT_TTL_SECONDS + 30)).pollInterval(Duration.ofMillis(300))
                .until(() -> jwks().getKeyByKeyId(keyA) == null);
        assertEquals("{\"active\":false}", issuer.introspect(oldCredential, resourceServerToken()).body());
        assertEquals(true, JSONObjectUtils.parse(issuer.introspect(newCredential, resourceServerToken()).body())
                .get("active"));
        try (Connection db = issuer.database(); Statement query = db.createStatement();
             ResultSet row = query.executeQuery("SELECT retired_at IS NOT NULL, sealed_private_jwk IS NULL "
                     + "FROM signing_keys WHERE kid = '" + keyA + "'")) {
            assertTrue(row.next());
            assertTrue(row.getBoolean(1) && row.getBoolean(2), "retired and its private part erased");
        }
    }

    @Test
    void shouldCreateOneKeyWhenInstancesRotateAtTheSameMoment() throws Exception {
        // given: eight issuer instances on the same database, all due for a rotation at once
        SigningKeyStore store = issuer.context().getBean(SigningKeyStore.class);
        MasterKey masterKey = issuer.context().getBean(MasterKey.class);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> store.findPublished().get(0).createdAt().isBefore(Instant.now().minusSeconds(6)));
        int keysBefore = countKeys();
        int instances = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(instances);
        List<Future<SigningKeys.Rotation>> rotations = new ArrayList<>();

        // when
        try {
            for (int i = 0; i < instances; i++) {
                SigningKeys instance = new SigningKeys(store, masterKey, Clock.systemUTC(), Duration.ofHours(24),
                        () -> UUID.randomUUID().toString());
                rotations.add(threads.submit(() -> {
                    start.await();
                    return instance.rotateNow();
                }));
            }
            start.countDown();

            // then
            List<SigningKeys.Rotation> results = new ArrayList<>();
            for (Future<SigningKeys.Rotation> rotation : rotations) {
                results.add(rotation.get());
            }
            assertEquals(1, results.stream().filter(SigningKeys.Rotation::created).count(), results.toString());
            assertEquals(1, results.stream().map(SigningKeys.Rotation::kid).distinct().count(), results.toString());
            assertEquals(keysBefore + 1, countKeys());
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void shouldRefuseRotationWith403WhenCallerIsNotSre() throws Exception {
        // when
        HttpResponse<String> response = issuer.post("/v1/admin/signing-keys/rotate", idp.mint(IssuerHarness.DEPLOYER));

        // then
        assertEquals(403, response.statusCode());
        assertEquals("forbidden", JSONObjectUtils.parse(response.body()).get("error"));
    }

    @Test
    void shouldFailClosedWithClearErrorWhenMasterKeyDoesNotOpenTheKeys() throws Exception {
        // given: a second instance on the same database, configured with another master key (and no broker,
        // so that it cannot join the consumer group while it fails)
        Map<String, Object> misconfigured = secondInstance();
        misconfigured.put("jit.issuer.master-key", MasterKey.random().toBase64());
        int keysBefore = countKeys();

        // when
        RuntimeException failure = assertThrows(RuntimeException.class,
                () -> ApplicationContext.run(EmbeddedServer.class, misconfigured).close());

        // then
        String causes = causeChain(failure);
        assertTrue(causes.contains("cannot be decrypted with the configured master key (JIT_ISSUER_MASTER_KEY)"), causes);
        assertEquals(keysBefore, countKeys(), "no key was added in place of the one it cannot open");
    }

    @Test
    void shouldRefuseToStartWhenMasterKeyMissing() {
        // given
        Map<String, Object> unconfigured = secondInstance();
        unconfigured.put("jit.issuer.master-key", "");

        // when
        RuntimeException failure = assertThrows(RuntimeException.class,
                () -> ApplicationContext.run(EmbeddedServer.class, unconfigured).close());

        // then
        assertTrue(causeChain(failure).contains("JIT_ISSUER_MASTER_KEY is not set"), causeChain(failure));
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** The credential a pickup answered, parsed. */
    private record PickedUp(String credential, String tokenType) {
    }

    private static GrantIssued issueOrdersGrant(long ttlSeconds, String dpopJkt) {
        AccessDecision decision = IssuerHarness.approved("req-" + UUID.randomUUID(), ttlSeconds,
                IssuerHarness.resource("http", "orders-api", "read")).setDpopJkt(dpopJkt).build();
        return issuer.issue(decision);
    }

    private static String credentialPath(GrantIssued grant) {
        return "/v1/grants/" + grant.getGrantId() + "/credential";
    }

    /** A pickup with the deployer's token and, when a key is given, a proof by that key. */
    private static HttpResponse<String> pickUp(GrantIssued grant, DpopClient key) {
        String svid = idp.mint(IssuerHarness.DEPLOYER);
        if (key == null) {
            return issuer.get(credentialPath(grant), svid);
        }
        URI htu = URI.create(issuer.issuerUrl() + credentialPath(grant));
        return issuer.get(credentialPath(grant), svid, Map.of("DPoP", key.proof("GET", htu, svid)));
    }

    private static String pickUpBearer(GrantIssued grant) {
        HttpResponse<String> response = pickUp(grant, null);
        assertEquals(200, response.statusCode(), response.body());
        return parse(response).credential();
    }

    private static PickedUp pickUpWithProof(GrantIssued grant, DpopClient key) {
        HttpResponse<String> response = pickUp(grant, key);
        assertEquals(200, response.statusCode(), response.body());
        return parse(response);
    }

    private static PickedUp parse(HttpResponse<String> response) {
        try {
            Map<String, Object> body = JSONObjectUtils.parse(response.body());
            return new PickedUp((String) body.get("credential"), (String) body.get("tokenType"));
        } catch (ParseException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static HttpResponse<String> callOrders(String authorization, String proof) {
        HttpRequest.Builder request = HttpRequest.newBuilder(orders.ordersUrl()).timeout(Duration.ofSeconds(15))
                .header("Authorization", authorization).GET();
        if (proof != null) {
            request.header("DPoP", proof);
        }
        return IssuerHarness.send(request.build());
    }

    private static String resourceServerToken() {
        return idp.mint(IssuerHarness.RESOURCE_SERVER);
    }

    /** Rotates on demand as the SRE; waits out the spacing that folds near-simultaneous rotations into one. */
    private static String rotate() {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    HttpResponse<String> response = issuer.post("/v1/admin/signing-keys/rotate", idp.mint(IssuerHarness.SRE));
                    assertEquals(200, response.statusCode(), response.body());
                    Map<String, Object> body = JSONObjectUtils.parse(response.body());
                    return Boolean.TRUE.equals(body.get("created")) ? (String) body.get("kid") : null;
                }, kid -> kid != null);
    }

    private static JWKSet jwks() throws ParseException {
        return JWKSet.parse(issuer.get("/.well-known/jwks.json", null).body());
    }

    private static int countKeys() throws Exception {
        try (Connection db = issuer.database(); Statement query = db.createStatement();
             ResultSet row = query.executeQuery("SELECT count(*) FROM signing_keys")) {
            row.next();
            return row.getInt(1);
        }
    }

    private static Map<String, Object> secondInstance() {
        Map<String, Object> properties = new HashMap<>(issuer.properties());
        properties.put("micronaut.server.port", -1);
        properties.put("kafka.bootstrap.servers", "127.0.0.1:1");
        return properties;
    }

    private static String causeChain(Throwable failure) {
        StringBuilder causes = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            causes.append(t.getMessage()).append(" <- ");
        }
        return causes.toString();
    }
}
