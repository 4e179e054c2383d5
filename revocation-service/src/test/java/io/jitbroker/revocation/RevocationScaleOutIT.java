package io.jitbroker.revocation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.contracts.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two revokers share the partitions (one application id, a state dir each); one is killed with
 * SIGKILL in the middle of a stream, and the other takes over its partitions, restoring their
 * state from the changelog topics: still exactly one revocation per grant. Then one that stops
 * gracefully leaves the group at once, instead of holding its partitions for its session timeout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RevocationScaleOutIT {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationScaleOutIT.class);
    private static final String APPLICATION_ID = "revocation-service.v1";
    private static final int PARTITIONS = 3;
    private static final int GRANTS = 500;
    private static final int PAIRS_PER_SECOND = 250;
    private static final int WORKLOADS = 20;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static Infrastructure infra;
    private static KafkaProducer<String, SpecificRecord> producer;
    private static CommittedRecords<Revocation> revocations;
    private static Path stateDirs;
    private static RevocationServiceProcess first;
    private static RevocationServiceProcess second;

    @BeforeAll
    static void startTwoRevokers() throws IOException {
        infra = Infrastructure.start(Infrastructure.Options.forTests().withoutPostgres());
        infra.kafka().createTopics(Topics.newTopics(PARTITIONS, (short) 1));
        producer = TestResources.eventProducer(infra);
        revocations = new CommittedRecords<>(new RegistrySerdes(infra.registry().nativeApiUrl()),
                infra.kafka().bootstrapServers(), Topics.REVOCATIONS.name(), PARTITIONS);
        stateDirs = Files.createTempDirectory("revocation-scale-out-it-");
        Path logDir = TestResources.logDir(RevocationScaleOutIT.class.getSimpleName(), "instances");
        first = RevocationServiceProcess.start("first", infra, stateDirs.resolve("first"), logDir);
        second = RevocationServiceProcess.start("second", infra, stateDirs.resolve("second"), logDir);
    }

    @AfterAll
    static void stopEverything() {
        TestResources.closeQuietly(first, second, producer, revocations, infra);
        TestResources.deleteRecursively(stateDirs);
    }

    @Test
    @Order(1)
    void shouldRevokeEveryGrantExactlyOnceWhenOneOfTwoInstancesIsKilledMidStream() {
        // given: both instances in the group, both running
        await().atMost(DEADLINE).until(() -> groupMembers() == 2);
        first.awaitRunning(DEADLINE);
        second.awaitRunning(DEADLINE);
        GrantStream stream = new GrantStream(producer, "scale-out", WORKLOADS);
        CompletableFuture<Void> produced = stream.produce(0, GRANTS, PAIRS_PER_SECOND);
        await().atMost(DEADLINE).pollInSameThread().until(() -> stream.revokedSoFar(revocations) >= GRANTS / 5);

        // when: the instance doing the most work dies
        List<RevocationServiceProcess> byWork = List.of(first, second).stream()
                .sorted(Comparator.comparingDouble(RevocationServiceProcess::revocationsEmitted).reversed())
                .toList();
        RevocationServiceProcess victim = byWork.get(0);
        RevocationServiceProcess survivor = byWork.get(1);
        double victimsWork = victim.revocationsEmitted();
        victim.kill();
        long revokedBeforeKill = stream.revokedSoFar(revocations);
        LOG.info("Killed {} after it revoked {}; {} of {} grants revoked", victim, victimsWork, revokedBeforeKill, GRANTS);
        assertTrue(victimsWork > 0, "the killed instance was revoking");
        assertTrue(revokedBeforeKill < GRANTS, "killed in the middle of the stream");
        produced.join();
        stream.sendSentinels(PARTITIONS);

        // then: the survivor finishes the victim's partitions
        stream.assertEachGrantRevokedExactlyOnce(revocations, GRANTS, DEADLINE);
        await().atMost(DEADLINE).until(() -> groupMembers() == 1);
        LOG.info("{} revoked {} in all", survivor, survivor.revocationsEmitted());
    }

    @Test
    @Order(2)
    void shouldLeaveTheGroupAtOnceWhenAnInstanceStopsGracefully() {
        // given: a third instance whose session would outlive this test's deadline
        Duration sessionTimeout = Duration.ofSeconds(45);
        int membersBefore = groupMembers();
        RevocationServiceProcess graceful = RevocationServiceProcess.start("graceful", infra,
                stateDirs.resolve("graceful"), TestResources.logDir(RevocationScaleOutIT.class.getSimpleName(), "graceful"),
                sessionTimeout);
        try {
            await().atMost(DEADLINE).until(() -> groupMembers() == membersBefore + 1);
            graceful.awaitRunning(DEADLINE);

            // when: SIGTERM, as a rolling restart or a scale-in does
            graceful.close();

            // then: gone from the group well before its session could have timed out
            await().atMost(Duration.ofSeconds(10)).until(() -> groupMembers() == membersBefore);
        } finally {
            graceful.close();
        }
    }

    /** Members of the revoker's consumer group (one per stream thread: one per instance here). */
    private static int groupMembers() {
        try (Admin admin = infra.kafka().admin()) {
            return admin.describeConsumerGroups(List.of(APPLICATION_ID)).all().get(10, TimeUnit.SECONDS)
                    .get(APPLICATION_ID).members().size();
        } catch (Exception e) {
            return -1;
        }
    }
}
