package io.jitbroker.policy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.contracts.Topics;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.events.v1.PolicyBundle;
import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.policy.app.PolicyChanged;
import io.jitbroker.policy.support.PolicyChangeRecorder;
import io.jitbroker.policy.support.PolicyDocs;
import io.jitbroker.policy.support.PolicyInfrastructure;
import io.jitbroker.policy.support.Quietly;
import io.jitbroker.policy.support.RecordReader;
import io.jitbroker.policy.support.RunningPolicyService;
import io.jitbroker.policy.support.RunningPolicyService.Reply;
import io.jitbroker.testkit.Tokens;
import io.micronaut.http.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The policy admin API on two instances sharing one Kafka: what one publishes, the other hot-loads;
 * what is refused reaches neither the topic nor any instance.
 */
class PolicyBundleApiIT {

    private static final String ADMIN = "spiffe://dev.local/sre/policy-admin";
    private static final String SRE = "spiffe://dev.local/sre/oncall";
    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final String BUNDLES = "/v1/policy/bundles";
    private static final MediaType YAML = MediaType.of("application/yaml");
    private static final Duration HOT_LOAD = Duration.ofSeconds(30);

    private static Infrastructure infra;
    private static Tokens tokens;
    /** Where admins publish. */
    private static RunningPolicyService instanceA;
    /** Another instance of the same service, with no admins configured: it must only follow. */
    private static RunningPolicyService instanceB;
    private static RecordReader<PolicyBundle> policyTopic;

    @BeforeAll
    static void startTwoInstancesOnRealInfrastructure() {
        infra = PolicyInfrastructure.start();
        tokens = new Tokens(infra.identityProvider());
        instanceA = RunningPolicyService.start(infra, Map.of("JIT_POLICY_ADMINS", ADMIN, "JIT_SRE_WORKLOADS", SRE));
        instanceB = RunningPolicyService.start(infra, Map.of("JIT_SRE_WORKLOADS", SRE));
        policyTopic = new RecordReader<>(Topics.POLICIES, infra.kafka().bootstrapServers(),
                new RegistrySerdes(infra.registry().nativeApiUrl()).consumerConfig());
    }

    @AfterAll
    static void stopEverything() {
        Quietly.close(policyTopic, instanceA, instanceB, infra);
    }

    // ---- publication and hot reload ----

    @Test
    void shouldAnswer201AndHotLoadOnEveryInstanceWhenAdminPublishesValidBundle() {
        // given
        String version = newVersion();
        String previous = instanceA.currentPolicy().version();
        int changesSeenByB = recorder(instanceB).changes().size();

        // when
        Reply reply = publish(tokens.valid(ADMIN), PolicyDocs.valid(version));

        // then: loaded here before the answer ...
        assertEquals(201, reply.status(), reply.toString());
        assertEquals(Map.of("name", "default", "version", version, "previousVersion", previous), reply.json());
        assertEquals(version, instanceA.currentPolicy().version());
        // ... and by the other instance, which decides with it and says so to its listeners
        awaitVersion(instanceB, version);
        assertEquals("deployer-reads-inventory", instanceB.currentPolicy().policy().rules().get(0).id());
        PolicyChanged change = Awaitility.await().atMost(HOT_LOAD).until(
                () -> recorder(instanceB).changes().stream().skip(changesSeenByB)
                        .filter(c -> c.current().version().equals(version)).findFirst().orElse(null),
                found -> found != null);
        assertEquals(ADMIN, change.current().publishedBy());
        assertFalse(change.catchingUp(), "a live change");
        // ... and the record on the topic is what an auditor would expect
        PolicyBundle record = policyTopic.await(r -> r.value().getVersion().equals(version)).value();
        assertEquals("default", record.getName());
        assertEquals(ADMIN, record.getPublishedBy());
        assertEquals(PolicyDocs.valid(version), record.getDocument());
    }

    @Test
    void shouldAcceptJsonBodyWhenDocumentIsWrapped() {
        // given
        String version = newVersion();
        String body = instanceA.toJson(Map.of("document", PolicyDocs.valid(version)));

        // when
        Reply reply = instanceA.post(BUNDLES, tokens.valid(ADMIN), MediaType.APPLICATION_JSON_TYPE, body);

        // then
        assertEquals(201, reply.status(), reply.toString());
        assertEquals(version, instanceA.currentPolicy().version());
        awaitVersion(instanceB, version);
    }

    @Test
    void shouldAnswer200AndPublishNothingWhenTheRunningBundleIsPublishedAgain() {
        // given
        String version = newVersion();
        assertEquals(201, publish(tokens.valid(ADMIN), PolicyDocs.valid(version)).status());
        long before = policyTopic.endOffsetSum();

        // when
        Reply reply = publish(tokens.valid(ADMIN), PolicyDocs.valid(version));

        // then
        assertEquals(200, reply.status(), reply.toString());
        assertEquals(Map.of("name", "default", "version", version, "previousVersion", version), reply.json());
        assertEquals(before, policyTopic.endOffsetSum(), "nothing written");
    }

    @Test
    void shouldAnswer409AndKeepTheRunningDocumentWhenVersionIsReusedForAnotherDocument() {
        // given
        String version = newVersion();
        assertEquals(201, publish(tokens.valid(ADMIN), PolicyDocs.valid(version)).status());
        awaitVersion(instanceB, version);
        long before = policyTopic.endOffsetSum();

        // when
        Reply reply = publish(tokens.valid(ADMIN), PolicyDocs.valid(version).replace("<= 600", "<= 900"));

        // then
        assertEquals(409, reply.status(), reply.toString());
        assertEquals("version_conflict", reply.json().get("error"));
        assertTrue(((String) reply.json().get("message")).contains("version '" + version + "'"), reply.toString());
        assertEquals(before, policyTopic.endOffsetSum(), "nothing written");
        assertEquals(PolicyDocs.valid(version), instanceA.currentPolicy().bundle().document());
        assertEquals(PolicyDocs.valid(version), instanceB.currentPolicy().bundle().document());
    }

    // ---- invalid bundles: 400 with the line, nothing published, nothing changes ----

    static Stream<Arguments> invalidDocuments() {
        return Stream.of(
                Arguments.of("a condition that does not type-check", 10, "rules[0].condition",
                        (Function<String, String>) doc -> doc.replace("request.ttlSeconds <= 600", "workload.path > 600")),
                Arguments.of("a condition that does not parse", 10, "rules[0].condition",
                        (Function<String, String>) doc -> doc.replace("request.ttlSeconds <= 600", "request.ttlSeconds <=")),
                Arguments.of("malformed YAML", 2, "not valid YAML",
                        (Function<String, String>) doc -> doc.replace("maxTtlSeconds: 3600", "maxTtlSeconds: 3600: 60")),
                Arguments.of("an unknown key", 7, "unknown key 'environment'",
                        (Function<String, String>) doc -> doc.replace("    environments: [staging]", "    environment: [staging]")),
                Arguments.of("a rule naming an undefined environment", 7, "rules[0].environments",
                        (Function<String, String>) doc -> doc.replace("[staging]", "[prod]")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDocuments")
    void shouldAnswer400WithTheLineAndChangeNothingWhenBundleIsInvalid(String what, int line, String mentions,
                                                                       Function<String, String> breakIt) {
        // given
        String running = instanceA.currentPolicy().version();
        long before = policyTopic.endOffsetSum();

        // when
        Reply reply = publish(tokens.valid(ADMIN), breakIt.apply(PolicyDocs.valid(newVersion())));

        // then
        assertEquals(400, reply.status(), what + ": " + reply);
        Map<String, Object> error = reply.json();
        assertEquals("invalid_policy", error.get("error"));
        assertEquals(line, error.get("line"), what + ": " + reply);
        String message = (String) error.get("message");
        assertTrue(message.startsWith("line " + line + ": "), what + ": " + message);
        assertTrue(message.contains(mentions), what + ": " + message);
        assertEquals(before, policyTopic.endOffsetSum(), "nothing written");
        assertEquals(running, instanceA.currentPolicy().version());
        assertEquals(running, instanceB.currentPolicy().version());
    }

    @Test
    void shouldAnswer400WhenBodyIsEmpty() {
        // when
        Reply reply = publish(tokens.valid(ADMIN), "   ");

        // then
        assertEquals(400, reply.status(), reply.toString());
        assertEquals("invalid_policy", reply.json().get("error"));
    }

    @Test
    void shouldAnswer400NamingTheFieldWhenJsonBodyHasNoDocument() {
        // when
        Reply reply = instanceA.post(BUNDLES, tokens.valid(ADMIN), MediaType.APPLICATION_JSON_TYPE, "{\"doc\": \"x\"}");

        // then
        assertEquals(400, reply.status(), reply.toString());
        assertEquals(Map.of("error", "invalid_request",
                "message", "doc: unknown field; allowed fields are document"), reply.json());
    }

    // ---- who may publish and read ----

    static Stream<Arguments> unacceptableTokens() {
        return Stream.of(
                Arguments.of("missing", (Function<Tokens, String>) t -> null),
                Arguments.of("expired", (Function<Tokens, String>) t -> t.expired(ADMIN)),
                Arguments.of("wrongly signed", (Function<Tokens, String>) t -> t.wronglySigned(ADMIN)),
                Arguments.of("for another audience", (Function<Tokens, String>) t -> t.forAudience(ADMIN, "another-service")),
                Arguments.of("from another issuer", (Function<Tokens, String>) t -> t.fromIssuer(ADMIN, "http://127.0.0.1:1/evil")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unacceptableTokens")
    void shouldAnswer401AndPublishNothingWhenTokenIsNotAcceptable(String what, Function<Tokens, String> token) {
        // given
        long before = policyTopic.endOffsetSum();

        // when
        Reply reply = publish(token.apply(tokens), PolicyDocs.valid(newVersion()));

        // then
        assertEquals(401, reply.status(), what + ": " + reply);
        assertEquals("unauthorized", reply.json().get("error"));
        assertEquals("Bearer", reply.wwwAuthenticate());
        assertEquals(before, policyTopic.endOffsetSum(), "nothing written");
    }

    @Test
    void shouldAnswer403AndPublishNothingWhenCallerIsNotAnAdmin() {
        // given
        long before = policyTopic.endOffsetSum();

        // when: an SRE, and a workload
        Reply sre = publish(tokens.valid(SRE), PolicyDocs.valid(newVersion()));
        Reply deployer = publish(tokens.valid(DEPLOYER), PolicyDocs.valid(newVersion()));

        // then
        assertEquals(403, sre.status(), sre.toString());
        assertEquals("forbidden", sre.json().get("error"));
        assertEquals(403, deployer.status(), deployer.toString());
        assertEquals(before, policyTopic.endOffsetSum(), "nothing written");
    }

    @Test
    void shouldAnswer403ToEveryoneWhenInstanceHasNoAdmins() {
        // when: instance B has JIT_POLICY_ADMINS unset (fail closed)
        Reply reply = instanceB.post(BUNDLES, tokens.valid(ADMIN), YAML, PolicyDocs.valid(newVersion()));

        // then
        assertEquals(403, reply.status(), reply.toString());
    }

    @Test
    void shouldShowTheRunningBundleWhenAnSreAsks() {
        // given
        String version = newVersion();
        Instant before = Instant.now().minusSeconds(1);
        assertEquals(201, publish(tokens.valid(ADMIN), PolicyDocs.valid(version)).status());
        awaitVersion(instanceB, version);

        // when: asked of the other instance
        Reply reply = instanceB.get(BUNDLES + "/current", tokens.valid(SRE));

        // then
        assertEquals(200, reply.status(), reply.toString());
        Map<String, Object> bundle = reply.json();
        assertEquals("default", bundle.get("name"));
        assertEquals(version, bundle.get("version"));
        assertEquals(ADMIN, bundle.get("publishedBy"));
        assertEquals(PolicyDocs.valid(version), bundle.get("document"));
        assertTrue(Instant.parse((String) bundle.get("publishedAt")).isAfter(before), bundle.toString());
    }

    @Test
    void shouldAnswer403WhenWorkloadAsksForTheRunningBundle() {
        // when
        Reply reply = instanceA.get(BUNDLES + "/current", tokens.valid(DEPLOYER));

        // then
        assertEquals(403, reply.status(), reply.toString());
    }

    @Test
    void shouldAnswer401WhenTheRunningBundleIsAskedForWithoutToken() {
        // when
        Reply reply = instanceA.get(BUNDLES + "/current", null);

        // then
        assertEquals(401, reply.status(), reply.toString());
    }

    // ---- operations ----

    @Test
    void shouldServeHealthAndTheLoadedVersionWithoutToken() {
        // given
        String version = newVersion();
        assertEquals(201, publish(tokens.valid(ADMIN), PolicyDocs.valid(version)).status());

        // when
        // A health probe is a point in time: on a loaded machine, wait for UP.
        Reply health = Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> instanceA.get("/health", null), r -> r.status() == 200);
        Reply readiness = Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> instanceA.get("/health/readiness", null), r -> r.status() == 200);
        Reply metrics = instanceA.get("/prometheus", null);

        // then
        assertEquals(200, health.status(), health.toString());
        assertEquals("UP", health.json().get("status"));
        assertEquals(200, readiness.status(), readiness.toString());
        assertEquals(200, metrics.status());
        assertTrue(metrics.body().contains("jit_policy_bundle{name=\"default\",version=\"" + version + "\"} 1.0"),
                metrics.body());
        assertTrue(metrics.body().contains("jit_policy_bundle_rejected_total{reason=\"invalid\"}"), metrics.body());
    }

    private static Reply publish(String token, String document) {
        return instanceA.post(BUNDLES, token, YAML, document);
    }

    private static void awaitVersion(RunningPolicyService instance, String version) {
        Awaitility.await().atMost(HOT_LOAD).until(() -> instance.currentPolicy().version().equals(version));
    }

    private static PolicyChangeRecorder recorder(RunningPolicyService instance) {
        PolicyChangeRecorder recorder = instance.context().getBean(PolicyChangeRecorder.class);
        assertNotNull(recorder);
        return recorder;
    }

    private static String newVersion() {
        return "it-" + UUID.randomUUID();
    }}
