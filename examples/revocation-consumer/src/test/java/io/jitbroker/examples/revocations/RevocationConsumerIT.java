package io.jitbroker.examples.revocations;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.contracts.Topics;
import io.jitbroker.devstack.Directories;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.devstack.KafkaAccess;
import io.jitbroker.devstack.KafkaSecurity;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.kafka.RegistrySerdes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The example as a deployment runs it, on a broker with SASL/SCRAM and ACLs: it logs in as a
 * downstream principal (Read on jit.revocations.v1 and its own group only), reads what the revoker's
 * transactions commit, and its resource server refuses a revoked grant as soon as the revocation is
 * read, and still after a restart, without reading again what it committed.
 */
class RevocationConsumerIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String RESOURCE = "inventory-api";
    private static final String WORKLOAD = "spiffe://dev.local/ci/deployer";
    private static final KafkaAccess.ServiceAccess DOWNSTREAM = KafkaAccess.downstream("billing-gateway");

    static {
        // Before any event class loads: Avro decodes only classes of trusted packages.
        RegistrySerdes.trustEventsPackage();
    }

    private static KafkaSecurity security;
    private static Infrastructure infra;
    private static TestIssuer issuer;
    private static KafkaProducer<String, SpecificRecord> revoker;
    /** The example's state file lives as long as its consumer group: the whole class. */
    private static Path stateDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private RevocationConsumerApp app;

    @BeforeAll
    static void startSecureBroker() throws IOException {
        stateDir = Files.createTempDirectory("revocation-consumer-it-");
        security = KafkaSecurity.withRandomPasswords(KafkaAccess.aclBindings(DOWNSTREAM.service()));
        infra = Infrastructure.start(Infrastructure.Options.forTests().withoutPostgres().withKafkaSecurity(security));
        infra.kafka().createTopics(Topics.newTopics(3, (short) 1));
        issuer = TestIssuer.start();
        // Revocations as the revoker writes them: in transactions, under its transactional-id prefix.
        Map<String, Object> config = new RegistrySerdes(infra.registry().nativeApiUrl()).producerConfig();
        config.putAll(infra.kafka().clientConfig(KafkaAccess.REVOCATION_SERVICE));
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                KafkaAccess.of(KafkaAccess.REVOCATION_SERVICE).streamsPrefix() + "example-" + UUID.randomUUID());
        revoker = new KafkaProducer<>(config);
        revoker.initTransactions();
    }

    @AfterAll
    static void stopBroker() {
        if (revoker != null) {
            revoker.close();
        }
        if (issuer != null) {
            issuer.close();
        }
        if (infra != null) {
            infra.close();
        }
        Directories.deleteRecursively(stateDir);
    }

    @BeforeEach
    void startApp() throws IOException {
        app = startedApp();
    }

    @AfterEach
    void stopApp() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void shouldRefuseTheGrantAtOnceWhenItsRevocationIsCommitted() throws Exception {
        // given: a good credential, accepted
        String grantId = "grant-" + UUID.randomUUID();
        String credential = issuer.credential(grantId, WORKLOAD, RESOURCE);
        assertEquals(200, get(credential).statusCode());

        // when
        revoke(grantId);

        // then
        HttpResponse<String> refused = awaitRefused(credential);
        assertTrue(refused.body().contains("was revoked (TASK_COMPLETED)"), refused.body());
        assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"),
                refused.headers().toString());
    }

    @Test
    void shouldStillRefuseTheGrantWithoutRereadingWhenRestartedFromItsCommittedOffsets() throws Exception {
        // given: a revocation applied and committed
        String grantId = "grant-" + UUID.randomUUID();
        String credential = issuer.credential(grantId, WORKLOAD, RESOURCE);
        revoke(grantId);
        awaitRefused(credential);

        // when: the consumer restarts, in its group, on its state file
        app.close();
        app = startedApp();

        // then: the grant is refused from the saved set, and nothing committed was read again
        assertEquals(401, get(credential).statusCode());
        assertEquals(0, app.listener().recordsRead(), "records read again after the restart");

        // and a later revocation is the only record it reads
        String later = "grant-" + UUID.randomUUID();
        String laterCredential = issuer.credential(later, WORKLOAD, RESOURCE);
        assertEquals(200, get(laterCredential).statusCode());
        revoke(later);
        awaitRefused(laterCredential);
        assertEquals(1, app.listener().recordsRead());
    }

    @Test
    void shouldRefuseACredentialWhenAnotherKeySignedIt() throws Exception {
        // given
        try (TestIssuer impostor = TestIssuer.start()) {
            // when: the trusted issuer's name, another key
            HttpResponse<String> refused = get(impostor.credentialNaming(issuer.url(), "grant-" + UUID.randomUUID(),
                    WORKLOAD, RESOURCE));

            // then
            assertEquals(401, refused.statusCode());
            assertTrue(refused.body().contains("invalid_token"), refused.body());
        }
    }

    @Test
    void shouldRefuseTheGrantOnEveryInstanceWhenEachReadsInAGroupOfItsOwn() throws Exception {
        // given: a second instance beside the first, in its own group (which the ACL's prefix allows)
        RevocationConsumerApp second = startedApp(DOWNSTREAM.group() + ".pod-2", "pod-2.tsv");
        try {
            // when: revocations on every partition
            List<String> credentials = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String grantId = "grant-" + UUID.randomUUID();
                credentials.add(issuer.credential(grantId, WORKLOAD, RESOURCE));
                revoke(grantId);
            }

            // then: each instance refuses each of them (none sees only its share of the partitions)
            for (String credential : credentials) {
                awaitRefused(credential, app);
                awaitRefused(credential, second);
            }
        } finally {
            second.close();
        }
    }

    /** Starts the example with the environment a deployment gives it, and waits until it serves. */
    private RevocationConsumerApp startedApp() throws IOException {
        return startedApp(DOWNSTREAM.group(), "revoked-grants.tsv");
    }

    private RevocationConsumerApp startedApp(String group, String stateFile) throws IOException {
        RevocationConsumerApp started = RevocationConsumerApp.start(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", infra.kafka().bootstrapServers(),
                "KAFKA_SECURITY_PROTOCOL", KafkaSecurity.PROTOCOL.name,
                "KAFKA_USERNAME", DOWNSTREAM.service(),
                "KAFKA_PASSWORD", security.password(DOWNSTREAM.service()),
                "SCHEMA_REGISTRY_URL", infra.registry().nativeApiUrl(),
                "JIT_ISSUER_URL", issuer.url(),
                "RESOURCE_ID", RESOURCE,
                "KAFKA_GROUP_ID", group,
                "STATE_FILE", stateDir.resolve(stateFile).toString(),
                "HTTP_PORT", "0"));
        await().atMost(DEADLINE).until(() -> started.listener().caughtUp());
        return started;
    }

    private void revoke(String grantId) {
        Instant now = Instant.now();
        Revocation revocation = Revocation.newBuilder()
                .setGrantId(grantId)
                .setRequestId("req-" + grantId)
                .setWorkloadId(WORKLOAD)
                .setTaskId("task-" + grantId)
                .setEnvironment("staging")
                .setCredentialId("cred-" + grantId)
                .setReason(RevocationReason.TASK_COMPLETED)
                .setDetail("task task-" + grantId + " reported COMPLETED")
                .setCauseEventId("event-" + grantId)
                .setExpiresAt(now.plus(Duration.ofMinutes(15)))
                .setRevokedAt(now)
                .build();
        revoker.beginTransaction();
        revoker.send(new ProducerRecord<>(Topics.REVOCATIONS.name(), grantId, revocation));
        revoker.commitTransaction();
    }

    private HttpResponse<String> awaitRefused(String credential) {
        return awaitRefused(credential, app);
    }

    private HttpResponse<String> awaitRefused(String credential, RevocationConsumerApp server) {
        List<HttpResponse<String>> refused = new ArrayList<>();
        await().atMost(DEADLINE).until(() -> {
            HttpResponse<String> response = get(credential, server);
            if (response.statusCode() == 401) {
                refused.add(response);
            }
            return !refused.isEmpty();
        });
        return refused.get(0);
    }

    private HttpResponse<String> get(String credential) throws IOException, InterruptedException {
        return get(credential, app);
    }

    private HttpResponse<String> get(String credential, RevocationConsumerApp server) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/resource"))
                .header("Authorization", "Bearer " + credential).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
