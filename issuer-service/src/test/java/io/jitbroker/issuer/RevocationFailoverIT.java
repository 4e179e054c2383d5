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
import io.jitbroker.issuer.support.IssuerProcess;
import io.micronaut.configuration.kafka.ConsumerRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two issuer instances share the revocations' partitions; one of them freezes (SIGSTOP: a paused JVM, or
 * a host cut off from Kafka and the database, as the others see it) while a revocation of a credential
 * on its partition waits on the topic. The other instance answers 503 revocation_state_unknown for it
 * (never active) until the group gives it the frozen instance's partitions, after the session timeout;
 * then it applies the revocation and answers inactive. The frozen instance, thawed, becomes healthy again.
 */
class RevocationFailoverIT {

    private static final Duration BOUND = Duration.ofSeconds(3);
    /** ISSUER_SESSION_TIMEOUT_MS's default: how long the group waits for a silent member. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);
    /** Room for a loaded machine on top of the bound and the session timeout. */
    private static final Duration SLACK = Duration.ofSeconds(20);
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    private static IssuerHarness survivor;
    private static IssuerProcess frozen;

    @BeforeAll
    static void startTwoInstances() {
        survivor = IssuerHarness.start(Map.of("jit.issuer.revocation-max-staleness", BOUND.toMillis() + "ms"));
        frozen = IssuerProcess.start(survivor, Path.of("target", "revocation-failover-second-issuer.log"));
        Awaitility.await("the second instance healthy (log: " + frozen.log() + ")").atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(500)).until(() -> frozen.healthStatus() == 200);
    }

    @AfterAll
    static void stopBoth() {
        if (frozen != null) {
            frozen.close();
        }
        if (survivor != null) {
            survivor.close();
        }
    }

    @Test
    void shouldAnswer503UntilPartitionsMoveThenInactiveWhenTheInstanceHoldingThemFreezes() throws Exception {
        // given: the second instance holds a partition, and a live credential of a grant on it is active
        int partition = Awaitility.await("the second instance to hold a partition of " + Topics.Names.REVOCATIONS)
                .atMost(DEADLINE).ignoreException(IllegalArgumentException.class) // the survivor has no assignment yet
                .until(RevocationFailoverIT::partitionsHeldElsewhere, held -> !held.isEmpty())
                .iterator().next();
        survivor.awaitRevocationsConfirmed();
        GrantIssued grant = grantOnPartition(partition);
        String credential = credentialOf(grant);
        assertEquals(Boolean.TRUE, JSONObjectUtils.parse(introspect(credential).body()).get("active"));

        // when: that instance freezes, and the grant is revoked on the topic
        frozen.freeze();
        Instant frozenAt = Instant.now();
        survivor.produce(Topics.Names.REVOCATIONS, grant.getGrantId(),
                IssuerHarness.revocation(grant, RevocationReason.TASK_COMPLETED));

        // then: within the bound the survivor refuses to call it active...
        Awaitility.await().atMost(BOUND.plus(SLACK)).pollInterval(Duration.ofMillis(100))
                .until(() -> introspect(credential).statusCode() == 503);
        // ...and answers 503 (never active) until it has taken the partition over and applied the revocation
        List<String> answers = new ArrayList<>();
        HttpResponse<String> settled = Awaitility.await().atMost(SESSION_TIMEOUT.plus(BOUND).plus(SLACK))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> record(answers, introspect(credential)), response -> response.statusCode() != 503);
        Duration unknownFor = Duration.between(frozenAt, Instant.now());
        assertEquals("{\"active\":false}", settled.body());
        assertTrue(answers.stream().allMatch(answer -> answer.startsWith("503") || answer.equals("200 {\"active\":false}")),
                answers.toString());
        // the survivor holds every partition (right after the takeover its consumer may be between assignments)
        Awaitility.await().atMost(DEADLINE).ignoreException(IllegalArgumentException.class)
                .until(() -> partitionsHeldElsewhere().isEmpty());
        assertTrue(unknownFor.compareTo(SESSION_TIMEOUT.plus(BOUND).plus(SLACK)) < 0, unknownFor.toString());

        // and when the frozen instance runs again, it learns it lost its partitions and becomes healthy
        frozen.thaw();
        Awaitility.await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500))
                .until(() -> frozen.healthStatus() == 200);
    }

    /**
     * The partitions of jit.revocations.v1 the survivor's consumer does not hold: the second instance's.
     *
     * @throws IllegalArgumentException while the survivor's consumer has no assignment yet
     */
    private static Set<Integer> partitionsHeldElsewhere() {
        Set<Integer> held = survivor.context().getBean(ConsumerRegistry.class)
                .getConsumerAssignment(IssuerKafka.REVOCATIONS_CLIENT_ID).stream()
                .filter(assigned -> assigned.topic().equals(Topics.Names.REVOCATIONS))
                .map(TopicPartition::partition)
                .collect(Collectors.toSet());
        return IntStream.range(0, IssuerHarness.PARTITIONS).boxed().filter(p -> !held.contains(p))
                .collect(Collectors.toSet());
    }

    /** Issues grants (random ids) until one's revocations go to the partition. */
    private static GrantIssued grantOnPartition(int partition) {
        for (int attempt = 0; attempt < 50; attempt++) {
            GrantIssued grant = survivor.issue(IssuerHarness.approved("req-" + UUID.randomUUID(), 900,
                    IssuerHarness.resource("http", "orders-db", "read")).build());
            if (RevocationPartitions.partitionOf(UUID.fromString(grant.getGrantId()), IssuerHarness.PARTITIONS) == partition) {
                return grant;
            }
        }
        throw new IllegalStateException("no grant on partition " + partition + " in 50 attempts");
    }

    private static HttpResponse<String> record(List<String> answers, HttpResponse<String> response) {
        answers.add(response.statusCode() + " " + response.body());
        return response;
    }

    private static String credentialOf(GrantIssued grant) throws Exception {
        HttpResponse<String> response = survivor.get("/v1/grants/" + grant.getGrantId() + "/credential",
                survivor.idp().mint(IssuerHarness.DEPLOYER));
        assertEquals(200, response.statusCode(), response.body());
        return (String) JSONObjectUtils.parse(response.body()).get("credential");
    }

    private static HttpResponse<String> introspect(String credential) {
        return survivor.introspect(credential, survivor.idp().mint(IssuerHarness.RESOURCE_SERVER));
    }
}
