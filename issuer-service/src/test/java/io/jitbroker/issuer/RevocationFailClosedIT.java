package io.jitbroker.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.issuer.domain.RevocationPartitions;
import io.jitbroker.issuer.kafka.IssuerKafka;
import io.jitbroker.issuer.support.IssuerHarness;
import io.micronaut.configuration.kafka.ConsumerRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Introspection and pickup fail closed when the issuer cannot know a credential is still unrevoked: the
 * consumer of jit.revocations.v1 stops applying revocations (paused through micronaut-kafka's
 * ConsumerRegistry: it keeps polling and stays in the group, like an instance that holds its partitions
 * but cannot apply them) while a revocation waits on the topic. Within the bound the answer is 503
 * revocation_state_unknown, never active; once the consumer applies it again, inactive.
 */
class RevocationFailClosedIT {

    /** The production default of JIT_ISSUER_REVOCATION_MAX_STALENESS. */
    private static final Duration BOUND = Duration.ofSeconds(3);
    /** The bound, plus time for a loaded machine to notice and answer. */
    private static final Duration WITHIN_BOUND = BOUND.plusSeconds(7);
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static IssuerHarness issuer;
    private static ConsumerRegistry consumers;

    @BeforeAll
    static void startIssuer() {
        issuer = IssuerHarness.start(Map.of("jit.issuer.revocation-max-staleness", BOUND.toMillis() + "ms"));
        consumers = issuer.context().getBean(ConsumerRegistry.class);
    }

    @AfterEach
    void resumeRevocations() {
        consumers.resume(IssuerKafka.REVOCATIONS_CLIENT_ID);
        Awaitility.await().atMost(DEADLINE).until(() -> !consumers.isPaused(IssuerKafka.REVOCATIONS_CLIENT_ID));
        issuer.awaitRevocationsConfirmed();
    }

    @AfterAll
    static void stopIssuer() {
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    void shouldAnswer503InsteadOfActiveWhenRevocationWaitsUnappliedThenInactiveOnceApplied() throws Exception {
        // given: a live credential, answered active
        GrantIssued grant = issuer.issue(IssuerHarness.approved("req-" + UUID.randomUUID(), 900,
                IssuerHarness.resource("http", "orders-db", "read")).build());
        String credential = credentialOf(grant);
        assertEquals(Boolean.TRUE, body(introspect(credential)).get("active"));

        // when: the revocation consumer stops applying, and the grant is revoked on the topic
        pauseRevocations();
        issuer.produce(Topics.Names.REVOCATIONS, grant.getGrantId(),
                IssuerHarness.revocation(grant, RevocationReason.TASK_COMPLETED));

        // then: within the bound, 503 revocation_state_unknown naming the partition, and never active after it
        HttpResponse<String> refused = Awaitility.await().atMost(WITHIN_BOUND).pollInterval(Duration.ofMillis(100))
                .until(() -> introspect(credential), response -> response.statusCode() == 503);
        assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
        Map<String, Object> error = body(refused);
        assertEquals("revocation_state_unknown", error.get("error"));
        int partition = RevocationPartitions.partitionOf(UUID.fromString(grant.getGrantId()), IssuerHarness.PARTITIONS);
        assertTrue(((String) error.get("message")).contains("partition " + partition + " of jit.revocations.v1"),
                refused.body());
        assertEquals(503, introspect(credential).statusCode(), "still unknown while the consumer is paused");
        assertTrue(issuer.metric("jit_issuer_introspection_fail_closed_total{call=\"introspect\",reason=\"stale\"}")
                .orElse(0) >= 1);

        // and when the consumer applies revocations again
        consumers.resume(IssuerKafka.REVOCATIONS_CLIENT_ID);

        // then: inactive, as known
        Awaitility.await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
                .until(() -> introspect(credential), response -> response.statusCode() == 200);
        assertEquals("{\"active\":false}", introspect(credential).body());
    }

    @Test
    void shouldGoDownWhenHeldPartitionsAreNotConfirmedAndUpAgainOnceTheyAre() {
        // given
        Awaitility.await().atMost(DEADLINE).until(() -> health().statusCode() == 200);

        // when: revocations wait on every partition this instance holds, unapplied
        pauseRevocations();
        for (int partition = 0; partition < IssuerHarness.PARTITIONS; partition++) {
            revokeUnknownGrantOn(partition);
        }

        // then
        Awaitility.await().atMost(WITHIN_BOUND).until(() -> health().statusCode() == 503);

        // and when
        consumers.resume(IssuerKafka.REVOCATIONS_CLIENT_ID);

        // then
        Awaitility.await().atMost(DEADLINE).until(() -> health().statusCode() == 200);
    }

    @Test
    void shouldRefusePickupAndKeepGrantPickableWhileItsPartitionIsStale() throws Exception {
        // given: a grant not picked up yet, and another grant's revocation waiting unapplied on its partition
        GrantIssued grant = issuer.issue(IssuerHarness.approved("req-" + UUID.randomUUID(), 900,
                IssuerHarness.resource("http", "orders-db", "read")).build());
        pauseRevocations();
        revokeUnknownGrantOn(RevocationPartitions.partitionOf(UUID.fromString(grant.getGrantId()), IssuerHarness.PARTITIONS));

        // the partition is stale once this instance, which holds it, reports so (a pickup that came earlier would win)
        Awaitility.await().atMost(WITHIN_BOUND).until(() -> health().statusCode() == 503);

        // when
        HttpResponse<String> refused = pickUp(grant);

        // then
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("revocation_state_unknown", body(refused).get("error"));
        assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));

        // and when the partition is confirmed again, the grant is still pickable
        consumers.resume(IssuerKafka.REVOCATIONS_CLIENT_ID);
        HttpResponse<String> pickedUp = Awaitility.await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
                .until(() -> pickUp(grant), response -> response.statusCode() != 503);
        assertEquals(200, pickedUp.statusCode(), pickedUp.body());
    }

    @Test
    void shouldComputeThePartitionTheProducerWritesEachGrantsRevocationsTo() {
        // given
        List<String> mismatches = new ArrayList<>();

        for (int i = 0; i < 30; i++) {
            UUID grantId = UUID.randomUUID();

            // when: a KafkaProducer with the default partitioner writes a revocation keyed by the grant id
            RecordMetadata written = issuer.produce(new ProducerRecord<>(Topics.Names.REVOCATIONS, grantId.toString(),
                    IssuerHarness.revocation(grantId.toString(), "req-" + grantId, UUID.randomUUID().toString(),
                            Instant.now().plusSeconds(60), RevocationReason.MANUAL)));

            // then
            if (written.partition() != RevocationPartitions.partitionOf(grantId, IssuerHarness.PARTITIONS)) {
                mismatches.add(grantId + " written to " + written.partition());
            }
        }
        assertEquals(List.of(), mismatches);
    }

    /** A revocation of a grant the issuer never issued, on the given partition: it only holds the partition up. */
    private static void revokeUnknownGrantOn(int partition) {
        UUID grantId;
        do {
            grantId = UUID.randomUUID();
        } while (RevocationPartitions.partitionOf(grantId, IssuerHarness.PARTITIONS) != partition);
        issuer.produce(Topics.Names.REVOCATIONS, grantId.toString(), IssuerHarness.revocation(grantId.toString(),
                "req-" + grantId, UUID.randomUUID().toString(), Instant.now().plus(1, ChronoUnit.HOURS),
                RevocationReason.MANUAL));
    }

    /**
     * micronaut-kafka pauses the partitions assigned at the time of the call and reports paused only while
     * that covers the current assignment: a rebalance in between (a partition assigned a moment later)
     * needs the pause asked again, so it is asked until it holds.
     */
    private static void pauseRevocations() {
        Awaitility.await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> {
            consumers.pause(IssuerKafka.REVOCATIONS_CLIENT_ID);
            return consumers.isPaused(IssuerKafka.REVOCATIONS_CLIENT_ID);
        });
    }

    private static String credentialOf(GrantIssued grant) throws Exception {
        HttpResponse<String> response = pickUp(grant);
        assertEquals(200, response.statusCode(), response.body());
        return (String) body(response).get("credential");
    }

    private static HttpResponse<String> pickUp(GrantIssued grant) {
        return issuer.get("/v1/grants/" + grant.getGrantId() + "/credential", issuer.idp().mint(IssuerHarness.DEPLOYER));
    }

    private static HttpResponse<String> introspect(String credential) {
        return issuer.introspect(credential, issuer.idp().mint(IssuerHarness.RESOURCE_SERVER));
    }

    private static HttpResponse<String> health() {
        return issuer.get("/health", null);
    }

    private static Map<String, Object> body(HttpResponse<String> response) throws Exception {
        return JSONObjectUtils.parse(response.body());
    }
}
