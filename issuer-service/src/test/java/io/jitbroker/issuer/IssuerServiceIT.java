package io.jitbroker.issuer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jitbroker.contracts.Topics;
import io.jitbroker.devstack.DevIdentityProvider;
import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.DecisionOutcome;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Resource;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationEnforced;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.issuer.kafka.IssuerKafka;
import io.jitbroker.issuer.support.IssuerHarness;
import io.jitbroker.issuer.support.TopicReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * issuer-service on the real infrastructure: a KRaft broker, the Apicurio registry, PostgreSQL and
 * the dev identity provider. Events go in and out through plain Kafka clients, as other services
 * would write and read them; credentials are fetched over HTTP with real workload tokens.
 */
class IssuerServiceIT {

    private static final String DEPLOYER = IssuerHarness.DEPLOYER;
    private static final String OTHER_WORKLOAD = "spiffe://dev.local/ci/other";
    private static final String RESOURCE_SERVER = IssuerHarness.RESOURCE_SERVER;
    /** Long enough to pick the credential up and see it live on a loaded machine, short enough to wait out. */
    private static final long SHORT_TTL_SECONDS = 6;
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();

    private static IssuerHarness issuer;
    private static DevIdentityProvider idp;
    private static TopicReader<GrantIssued> grants;
    private static TopicReader<DeadLetter> deadLetters;
    private static TopicReader<RevocationEnforced> enforcements;

    @BeforeAll
    static void startIssuerOnRealInfrastructure() {
        issuer = IssuerHarness.start(Map.of());
        idp = issuer.idp();
        grants = issuer.grants();
        deadLetters = issuer.deadLetters();
        enforcements = issuer.enforcements();
    }

    @AfterAll
    static void stopEverything() {
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    void shouldAnnounceGrantWithoutSecretWhenDecisionApproved() {
        // given
        String requestId = "req-" + UUID.randomUUID();

        // when
        produce(Topics.Names.ACCESS_DECISIONS, requestId, approved(requestId, 900));

        // then
        ConsumerRecord<String, GrantIssued> record = grants.await(r -> r.value().getRequestId().equals(requestId));
        GrantIssued grant = record.value();
        assertEquals(grant.getGrantId(), record.key());
        assertEquals(DEPLOYER, grant.getWorkloadId());
        assertEquals("task-7", grant.getTaskId());
        assertEquals("prod", grant.getEnvironment());
        assertEquals("jwt", grant.getCredentialType());
        assertNotNull(UUID.fromString(grant.getCredentialId()));
        assertEquals(List.of("orders-db"), grant.getResources().stream().map(Resource::getId).toList());
        assertTrue(Duration.between(grant.getIssuedAt(), grant.getExpiresAt()).toSeconds() <= 900);
        assertNull(grant.getHeartbeatIntervalSeconds(), "no heartbeat asked, none required");
        assertFalse(grant.toString().contains("eyJ"), "a grant event must never carry a token");
    }

    @Test
    void shouldCarryHeartbeatIntoGrantWhenDecisionRequiresOne() throws Exception {
        // given
        String requestId = "req-" + UUID.randomUUID();

        // when
        produce(Topics.Names.ACCESS_DECISIONS, requestId, approved(requestId, 900, 30L));

        // then
        GrantIssued grant = grants.await(r -> r.value().getRequestId().equals(requestId)).value();
        assertEquals(30L, grant.getHeartbeatIntervalSeconds());
        try (Connection db = database();
             PreparedStatement query = db.prepareStatement(
                     "SELECT heartbeat_interval_seconds FROM grants WHERE request_id = ?")) {
            query.setString(1, requestId);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                assertEquals(30L, row.getLong("heartbeat_interval_seconds"));
            }
        }
    }

    @Test
    void shouldServeVerifiableCredentialWhenGrantWorkloadPicksUp() throws Exception {
        // given
        GrantIssued grant = issueGrant();

        // when
        HttpResponse<String> response = pickUp(grant.getGrantId(), idp.mint(DEPLOYER));

        // then
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
        Map<String, Object> body = JSONObjectUtils.parse(response.body());
        assertEquals("jwt", body.get("type"));
        assertEquals(grant.getExpiresAt(), Instant.parse((String) body.get("expiresAt")));
        SignedJWT jwt = SignedJWT.parse((String) body.get("credential"));
        JWKSet jwks = JWKSet.parse(get("/.well-known/jwks.json", null).body());
        assertTrue(jwt.verify(new ECDSAVerifier((ECKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID()))));
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals(DEPLOYER, claims.getSubject());
        assertEquals(grant.getCredentialId(), claims.getJWTID());
        assertEquals(grant.getGrantId(), claims.getStringClaim("grant_id"));
        assertEquals(List.of("orders-db"), claims.getAudience());
        assertEquals("http:orders-db:read http:orders-db:write", claims.getStringClaim("scope"));
        assertEquals(grant.getExpiresAt(), claims.getExpirationTime().toInstant());
    }

    @Test
    void shouldRefuseWith410WhenCredentialPickedUpTwice() throws Exception {
        // given
        GrantIssued grant = issueGrant();
        assertEquals(200, pickUp(grant.getGrantId(), idp.mint(DEPLOYER)).statusCode());

        // when
        HttpResponse<String> second = pickUp(grant.getGrantId(), idp.mint(DEPLOYER));

        // then
        assertEquals(410, second.statusCode());
        assertEquals("credential_already_picked_up", JSONObjectUtils.parse(second.body()).get("error"));
    }

    @Test
    void shouldServeCredentialOnceWhenPickupsRace() throws Exception {
        // given
        GrantIssued grant = issueGrant();
        String token = idp.mint(DEPLOYER);
        int racers = 8;

        // when: concurrent pickups of the same grant
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            responses.add(HTTP.sendAsync(HttpRequest.newBuilder(url("/v1/grants/" + grant.getGrantId() + "/credential"))
                    .timeout(HTTP_TIMEOUT).header("Authorization", "Bearer " + token).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            statuses.add(response.get().statusCode());
        }

        // then
        assertEquals(1, statuses.stream().filter(status -> status == 200).count(), statuses.toString());
        assertEquals(racers - 1, statuses.stream().filter(status -> status == 410).count(), statuses.toString());
    }

    @Test
    void shouldRefuseWith400WhenGrantIdIsNotUuid() throws Exception {
        // when
        HttpResponse<String> response = pickUp("not-a-uuid", idp.mint(DEPLOYER));

        // then
        assertEquals(400, response.statusCode());
        Map<String, Object> body = JSONObjectUtils.parse(response.body());
        assertEquals("invalid_grant_id", body.get("error"));
        assertTrue(((String) body.get("message")).contains("grantId"), response.body());
    }

    @Test
    void shouldRefuseWith403WhenAnotherWorkloadPicksUp() throws Exception {
        // given
        GrantIssued grant = issueGrant();

        // when
        HttpResponse<String> response = pickUp(grant.getGrantId(), idp.mint(OTHER_WORKLOAD));

        // then
        assertEquals(403, response.statusCode());
        assertEquals("not_grant_workload", JSONObjectUtils.parse(response.body()).get("error"));
        assertEquals(200, pickUp(grant.getGrantId(), idp.mint(DEPLOYER)).statusCode(), "the real workload still can");
    }

    @Test
    void shouldRefuseWith404WhenGrantUnknown() throws Exception {
        // when
        HttpResponse<String> response = pickUp(UUID.randomUUID().toString(), idp.mint(DEPLOYER));

        // then
        assertEquals(404, response.statusCode());
        assertEquals("grant_not_found", JSONObjectUtils.parse(response.body()).get("error"));
    }

    @Test
    void shouldRejectWith401WhenTokenMissing() throws Exception {
        // when
        HttpResponse<String> response = pickUp(UUID.randomUUID().toString(), null);

        // then
        assertUnauthorized(response);
    }

    @Test
    void shouldRejectWith401WhenTokenExpired() throws Exception {
        // given
        Instant past = Instant.now().minus(Duration.ofHours(1));
        String expired = idp.sign(new JWTClaimsSet.Builder().issuer(idp.issuer()).subject(DEPLOYER)
                .audience(idp.audience()).issueTime(Date.from(past)).notBeforeTime(Date.from(past))
                .expirationTime(Date.from(past.plus(Duration.ofMinutes(5)))).jwtID(UUID.randomUUID().toString())
                .build());

        // when
        HttpResponse<String> response = pickUp(UUID.randomUUID().toString(), expired);

        // then
        assertUnauthorized(response);
    }

    @Test
    void shouldRejectWith401WhenTokenForAnotherAudience() throws Exception {
        // given
        String misaddressed = idp.mint(DEPLOYER, "some-other-service", Duration.ofMinutes(5));

        // when
        HttpResponse<String> response = pickUp(UUID.randomUUID().toString(), misaddressed);

        // then
        assertUnauthorized(response);
    }

    @Test
    void shouldRejectWith401WhenTokenSubjectIsNotSpiffeId() throws Exception {
        // given: signed by the trust domain, but the subject names no workload (the shared WorkloadTokenValidator)
        String nameless = trustDomainToken("deployer", Duration.ofMinutes(5));

        // when
        HttpResponse<String> response = pickUp(UUID.randomUUID().toString(), nameless);

        // then
        assertUnauthorized(response);
    }

    @Test
    void shouldRejectIntrospectionWith401WhenTokenSubjectHasADotSegment() throws Exception {
        // given: a subject that spells another workload's path ("ci/../sre/oncall")
        String dotted = trustDomainToken("spiffe://dev.local/ci/../sre/oncall", Duration.ofMinutes(5));

        // when
        HttpResponse<String> response = introspect("any-token", dotted);

        // then
        assertUnauthorized(response);
    }

    @Test
    void shouldRejectIntrospectionWith401WhenTokenHasNoExpiry() throws Exception {
        // given: signed by the trust domain for the right audience, but valid forever
        String eternal = trustDomainToken(RESOURCE_SERVER, null);

        // when
        HttpResponse<String> response = introspect("any-token", eternal);

        // then
        assertUnauthorized(response);
    }

    @Test
    void shouldAnswer405WhenTheMethodIsWrong() throws Exception {
        // when
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url("/v1/introspect"))
                .header("Authorization", "Bearer " + idp.mint(RESOURCE_SERVER)).timeout(HTTP_TIMEOUT)
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());

        // then
        assertEquals(405, response.statusCode(), response.body());
    }

    @Test
    void shouldAnswer415WhenTheMediaTypeIsWrong() throws Exception {
        // when
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url("/v1/introspect"))
                .header("Authorization", "Bearer " + idp.mint(RESOURCE_SERVER)).header("Content-Type", "application/xml")
                .timeout(HTTP_TIMEOUT).POST(HttpRequest.BodyPublishers.ofString("<token>x</token>")).build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertEquals(415, response.statusCode(), response.body());
    }

    @Test
    void shouldRejectWith401WhenTokenSignedByUntrustedKey() throws Exception {
        // given: right issuer, audience and lifetime, but a key the trust domain never published
        ECKey rogue = new ECKeyGenerator(Curve.P_256).keyID("rogue").generate();
        Instant now = Instant.now();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("rogue")
                .type(JOSEObjectType.JWT).build(), new JWTClaimsSet.Builder().issuer(idp.issuer()).subject(DEPLOYER)
                .audience(idp.audience()).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .build());
        forged.sign(new ECDSASigner(rogue));

        // when
        HttpResponse<String> response = pickUp(UUID.randomUUID().toString(), forged.serialize());

        // then
        assertUnauthorized(response);
    }

    @Test
    void shouldReportActiveWhenLiveCredentialIntrospected() throws Exception {
        // given
        GrantIssued grant = issueGrant();
        String credential = credentialOf(grant);

        // when
        HttpResponse<String> response = introspect(credential, idp.mint(RESOURCE_SERVER));

        // then
        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> body = JSONObjectUtils.parse(response.body());
        assertEquals(true, body.get("active"));
        assertEquals(DEPLOYER, body.get("sub"));
        assertEquals(grant.getGrantId(), body.get("grant_id"));
        assertEquals(grant.getCredentialId(), body.get("jti"));
        assertEquals("task-7", body.get("task_id"));
        assertEquals("prod", body.get("env"));
        assertEquals("Bearer", body.get("token_type"));
        assertEquals(grant.getExpiresAt().getEpochSecond(), ((Number) body.get("exp")).longValue());
    }

    @Test
    void shouldReportInactiveAndRecordEnforcementWhenGrantRevoked() throws Exception {
        // given
        GrantIssued grant = issueGrant();
        String credential = credentialOf(grant);

        // when
        produce(Topics.Names.REVOCATIONS, grant.getGrantId(), revocationOf(grant));
        enforcementOf(grant);

        // then
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                "{\"active\":false}".equals(introspect(credential, idp.mint(RESOURCE_SERVER)).body()));
        try (Connection db = database();
             PreparedStatement query = db.prepareStatement(
                     "SELECT revoked_at, revocation_reason, enforced_at FROM grants WHERE grant_id = ?")) {
            query.setObject(1, UUID.fromString(grant.getGrantId()));
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                assertNotNull(row.getTimestamp("revoked_at"));
                assertEquals("TASK_COMPLETED", row.getString("revocation_reason"));
                Timestamp enforcedAt = row.getTimestamp("enforced_at");
                assertNotNull(enforcedAt);
                assertFalse(enforcedAt.before(row.getTimestamp("revoked_at")));
            }
        }
    }

    @Test
    void shouldAnnounceEnforcementWithGrantIdsAndDurableTimeWhenRevocationApplied() throws Exception {
        // given
        GrantIssued grant = issueGrant();
        Revocation revocation = revocationOf(grant);

        // when
        produce(Topics.Names.REVOCATIONS, grant.getGrantId(), revocation);

        // then
        ConsumerRecord<String, RevocationEnforced> record =
                enforcements.await(r -> r.value().getGrantId().equals(grant.getGrantId()));
        RevocationEnforced enforced = record.value();
        assertEquals(grant.getGrantId(), record.key());
        assertEquals(grant.getRequestId(), enforced.getRequestId());
        assertEquals(grant.getWorkloadId(), enforced.getWorkloadId());
        assertEquals(grant.getCredentialId(), enforced.getCredentialId());
        assertEquals(RevocationReason.TASK_COMPLETED, enforced.getReason());
        assertEquals("jwt-denylist", enforced.getBackend());
        assertEquals(revocation.getRevokedAt(), enforced.getRevokedAt());
        assertFalse(enforced.getEnforcedAt().isBefore(enforced.getRevokedAt()), "enforcedAt >= revokedAt");
        assertEquals(storedEnforcedAt(grant), enforced.getEnforcedAt(), "the moment recorded on the deny-list entry");
    }

    @Test
    void shouldAnnounceSameEnforcedAtWhenRevocationRedelivered() {
        // given: a revocation already enforced and announced
        GrantIssued grant = issueGrant();
        Revocation revocation = revocationOf(grant);
        produce(Topics.Names.REVOCATIONS, grant.getGrantId(), revocation);
        RevocationEnforced first = enforcementOf(grant);

        // when
        produce(Topics.Names.REVOCATIONS, grant.getGrantId(), revocation);

        // then: at least once, and every duplicate identical
        List<ConsumerRecord<String, RevocationEnforced>> announced =
                enforcements.await(r -> r.value().getGrantId().equals(grant.getGrantId()), 2);
        for (ConsumerRecord<String, RevocationEnforced> duplicate : announced) {
            assertEquals(first, duplicate.value());
        }
    }

    @Test
    void shouldExposeTimeToEnforceWhenRevocationEnforced() {
        // given
        GrantIssued grant = issueGrant();

        // when
        produce(Topics.Names.REVOCATIONS, grant.getGrantId(), revocationOf(grant));
        enforcementOf(grant);

        // then
        String metrics = Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> get("/prometheus", null).body(),
                        body -> body.contains("jit_issuer_revocations_time_to_enforce_seconds_count{backend=\"jwt-denylist\""));
        assertTrue(metrics.contains("jit_issuer_revocations_time_to_enforce_seconds_bucket{backend=\"jwt-denylist\",le=\"1.0\"}"),
                "histogram buckets, with the 1 s SLO boundary, for histogram_quantile");
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("jit_issuer_revocations_enforced_total{backend=\"jwt-denylist\"")
                && !line.endsWith(" 0.0")), "enforcements counted");
    }

    @Test
    void shouldReportInactiveOnceGrantExpiresWhenNoRevocationArrives() throws Exception {
        // given: a short-lived grant, picked up and live; nothing will ever revoke it
        String requestId = "req-" + UUID.randomUUID();
        produce(Topics.Names.ACCESS_DECISIONS, requestId, approved(requestId, SHORT_TTL_SECONDS));
        GrantIssued grant = grants.await(r -> r.value().getRequestId().equals(requestId)).value();
        String credential = credentialOf(grant);
        assertEquals(true, JSONObjectUtils.parse(introspect(credential, idp.mint(RESOURCE_SERVER)).body()).get("active"));

        // when: its expiresAt passes
        Awaitility.await().atMost(Duration.ofSeconds(SHORT_TTL_SECONDS + 30)).until(() -> Instant.now().isAfter(grant.getExpiresAt()));

        // then
        assertEquals("{\"active\":false}", introspect(credential, idp.mint(RESOURCE_SERVER)).body());
        assertTrue(enforcements.seenSoFar(r -> r.value().getGrantId().equals(grant.getGrantId())).isEmpty(),
                "expiry is not a revocation: nothing was enforced or announced");
    }

    @Test
    void shouldDeadLetterGarbageAndEnforceNextRevocationWhenRecordUndecodable() throws Exception {
        // given: raw bytes, then a good revocation, on the same key and so the same partition
        GrantIssued grant = issueGrant();
        byte[] garbage = "this is not a Revocation".getBytes(StandardCharsets.UTF_8);

        // when
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, issuer.infra().kafka().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            raw.send(new ProducerRecord<>(Topics.Names.REVOCATIONS, grant.getGrantId(), garbage)).get();
        }
        produce(Topics.Names.REVOCATIONS, grant.getGrantId(), revocationOf(grant));

        // then
        DeadLetter letter = deadLetters.await(r -> grant.getGrantId().equals(r.key())).value();
        assertEquals(Topics.Names.REVOCATIONS, letter.getSourceTopic());
        assertEquals(IssuerKafka.GROUP_ID, letter.getConsumer());
        enforcementOf(grant);
    }

    @Test
    void shouldReportInactiveWhenTokenIsNotOurs() throws Exception {
        // when: a workload token is valid, but it is not a credential we issued
        HttpResponse<String> response = introspect(idp.mint(DEPLOYER), idp.mint(RESOURCE_SERVER));

        // then
        assertEquals(200, response.statusCode());
        assertEquals("{\"active\":false}", response.body());
    }

    @Test
    void shouldRefuseWith400WhenIntrospectionHasNoToken() throws Exception {
        // when
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url("/v1/introspect")).timeout(HTTP_TIMEOUT)
                        .header("Authorization", "Bearer " + idp.mint(RESOURCE_SERVER))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("token_type_hint=access_token")).build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertEquals(400, response.statusCode());
        Map<String, Object> body = JSONObjectUtils.parse(response.body());
        assertEquals("invalid_request", body.get("error"));
        assertTrue(((String) body.get("message")).contains("token"), response.body());
    }

    @Test
    void shouldRejectWith401WhenIntrospectionCallerHasNoToken() throws Exception {
        // given
        GrantIssued grant = issueGrant();

        // when
        HttpResponse<String> response = introspect(credentialOf(grant), null);

        // then
        assertUnauthorized(response);
    }

    @Test
    void shouldKeepOneGrantWhenDecisionRedelivered() throws Exception {
        // given
        String requestId = "req-" + UUID.randomUUID();
        AccessDecision decision = approved(requestId, 600, 45L);

        // when
        produce(Topics.Names.ACCESS_DECISIONS, requestId, decision);
        produce(Topics.Names.ACCESS_DECISIONS, requestId, decision);

        // then
        List<ConsumerRecord<String, GrantIssued>> announced =
                grants.await(r -> r.value().getRequestId().equals(requestId), 2);
        assertEquals(announced.get(0).value(), announced.get(1).value(), "the same grant, announced again");
        assertEquals(45L, announced.get(1).value().getHeartbeatIntervalSeconds());
        try (Connection db = database();
             PreparedStatement query = db.prepareStatement("SELECT count(*) FROM grants WHERE request_id = ?")) {
            query.setString(1, requestId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                assertEquals(1, row.getInt(1));
            }
        }
    }

    @Test
    void shouldIssueNothingWhenDecisionDenied() throws Exception {
        // given: a denial followed by an approval on the same partition
        String deniedId = "req-" + UUID.randomUUID();
        String approvedId = "req-" + UUID.randomUUID();
        AccessDecision denied = AccessDecision.newBuilder(approved(deniedId, 0))
                .setOutcome(DecisionOutcome.DENIED).setGrantedResources(List.of()).build();

        // when
        issuer.produce(Topics.Names.ACCESS_DECISIONS, 0, deniedId, denied);
        issuer.produce(Topics.Names.ACCESS_DECISIONS, 0, approvedId, approved(approvedId, 300));

        // then: once the later approval is announced, the denial has been consumed
        grants.await(r -> r.value().getRequestId().equals(approvedId));
        assertTrue(grants.seenSoFar(r -> r.value().getRequestId().equals(deniedId)).isEmpty());
        try (Connection db = database();
             PreparedStatement query = db.prepareStatement("SELECT count(*) FROM grants WHERE request_id = ?")) {
            query.setString(1, deniedId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                assertEquals(0, row.getInt(1));
            }
        }
    }

    @Test
    void shouldDeadLetterGarbageAndProcessNextDecisionWhenRecordUndecodable() throws Exception {
        // given: raw bytes, then a good decision, on the same key and so the same partition
        String requestId = "req-" + UUID.randomUUID();
        byte[] garbage = "this is not an Avro record".getBytes(StandardCharsets.UTF_8);

        // when
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, issuer.infra().kafka().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            raw.send(new ProducerRecord<>(Topics.Names.ACCESS_DECISIONS, requestId, garbage)).get();
        }
        produce(Topics.Names.ACCESS_DECISIONS, requestId, approved(requestId, 300));

        // then
        ConsumerRecord<String, DeadLetter> letter = deadLetters.await(r -> requestId.equals(r.key()));
        assertEquals(Topics.Names.ACCESS_DECISIONS, letter.value().getSourceTopic());
        assertEquals(IssuerKafka.GROUP_ID, letter.value().getConsumer());
        ByteBuffer payload = letter.value().getPayload();
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        assertArrayEquals(garbage, bytes);
        grants.await(r -> r.value().getRequestId().equals(requestId));
    }

    @Test
    void shouldDeadLetterApprovedDecisionWhenItCannotBeIssued() {
        // given: approved, but with no lifetime
        String requestId = "req-" + UUID.randomUUID();

        // when
        produce(Topics.Names.ACCESS_DECISIONS, requestId, approved(requestId, 0));

        // then
        DeadLetter letter = deadLetters.await(r -> requestId.equals(r.key())).value();
        assertTrue(letter.getReason().contains("grantedTtlSeconds"), letter.getReason());
        assertTrue(grants.seenSoFar(r -> r.value().getRequestId().equals(requestId)).isEmpty());
    }

    @Test
    void shouldCountButNotAnnounceRevocationWhenGrantUnknown() throws Exception {
        // given: a revocation for an unknown grant, then one for a known grant, on the same partition
        String unknownGrantId = UUID.randomUUID().toString();
        GrantIssued known = issueGrant();

        // when
        issuer.produce(Topics.Names.REVOCATIONS, 0, unknownGrantId, IssuerHarness.revocation(unknownGrantId,
                "req-unknown", UUID.randomUUID().toString(), Instant.now().plusSeconds(60), RevocationReason.TASK_COMPLETED));
        issuer.produce(Topics.Names.REVOCATIONS, 0, known.getGrantId(), revocationOf(known));

        // then: once the later one is announced, the unknown one has been handled, and not announced
        enforcementOf(known);
        assertTrue(enforcements.seenSoFar(r -> r.value().getGrantId().equals(unknownGrantId)).isEmpty());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                get("/prometheus", null).body().lines()
                        .anyMatch(line -> line.startsWith("jit_issuer_revocations_unknown_grant_total")
                                && !line.endsWith(" 0.0")));
    }

    @Test
    void shouldServeJwksHealthAndMetricsWhenCallerHasNoToken() throws Exception {
        // when
        HttpResponse<String> jwks = get("/.well-known/jwks.json", null);
        // A health probe is a point in time: on a loaded machine, wait for UP.
        HttpResponse<String> health = Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> get("/health", null), response -> response.statusCode() == 200);
        HttpResponse<String> metrics = get("/prometheus", null);

        // then
        assertEquals(200, jwks.statusCode());
        assertFalse(JWKSet.parse(jwks.body()).getKeys().isEmpty());
        assertFalse(jwks.body().contains("\"d\""), "only public keys are published");
        assertEquals(200, health.statusCode(), health.body());
        assertEquals(200, metrics.statusCode());
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static AccessDecision approved(String requestId, long ttlSeconds) {
        return approved(requestId, ttlSeconds, null);
    }

    private static AccessDecision approved(String requestId, long ttlSeconds, Long heartbeatIntervalSeconds) {
        return IssuerHarness.approved(requestId, ttlSeconds, IssuerHarness.resource("http", "orders-db", "read", "write"))
                .setHeartbeatIntervalSeconds(heartbeatIntervalSeconds)
                .build();
    }

    private static Revocation revocationOf(GrantIssued grant) {
        return IssuerHarness.revocation(grant, RevocationReason.TASK_COMPLETED);
    }

    private static RevocationEnforced enforcementOf(GrantIssued grant) {
        return enforcements.await(r -> r.value().getGrantId().equals(grant.getGrantId())).value();
    }

    private static Instant storedEnforcedAt(GrantIssued grant) throws Exception {
        try (Connection db = database();
             PreparedStatement query = db.prepareStatement("SELECT enforced_at FROM grants WHERE grant_id = ?")) {
            query.setObject(1, UUID.fromString(grant.getGrantId()));
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                return row.getTimestamp("enforced_at").toInstant();
            }
        }
    }

    private static GrantIssued issueGrant() {
        return issuer.issue(approved("req-" + UUID.randomUUID(), 900));
    }

    private static String credentialOf(GrantIssued grant) throws Exception {
        HttpResponse<String> response = pickUp(grant.getGrantId(), idp.mint(DEPLOYER));
        assertEquals(200, response.statusCode(), response.body());
        return (String) JSONObjectUtils.parse(response.body()).get("credential");
    }

    private static void produce(String topic, String key, SpecificRecord value) {
        issuer.produce(topic, key, value);
    }

    private static HttpResponse<String> pickUp(String grantId, String bearer) {
        return get("/v1/grants/" + grantId + "/credential", bearer);
    }

    private static HttpResponse<String> introspect(String token, String bearer) {
        return issuer.introspect(token, bearer);
    }

    private static HttpResponse<String> get(String path, String bearer) {
        return issuer.get(path, bearer);
    }

    /** Signed by the trust domain for the issuer's audience; {@code lifetime} null: no expiry at all. */
    private static String trustDomainToken(String subject, Duration lifetime) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(idp.issuer()).subject(subject)
                .audience(idp.audience()).issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                .jwtID(UUID.randomUUID().toString());
        if (lifetime != null) {
            claims.expirationTime(Date.from(now.plus(lifetime)));
        }
        return idp.sign(claims.build());
    }

    private static URI url(String path) {
        return issuer.url(path);
    }

    private static void assertUnauthorized(HttpResponse<String> response) throws Exception {
        assertEquals(401, response.statusCode(), response.body());
        assertEquals("unauthorized", JSONObjectUtils.parse(response.body()).get("error"));
    }

    private static Connection database() throws Exception {
        return issuer.database();
    }
}
