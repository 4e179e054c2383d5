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
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A revoker killed with SIGKILL in the middle of a stream of grants and task completions, then
 * restarted: a read_committed consumer sees exactly one revocation per grant, none lost, none
 * doubled. The instance is a real service JVM; the stream keeps flowing while it is down.
 */
class RevocationCrashIT {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationCrashIT.class);
    private static final int PARTITIONS = 3;
    private static final int GRANTS = 500;
    private static final int PAIRS_PER_SECOND = 250;
    private static final int WORKLOADS = 20;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static Infrastructure infra;
    private static KafkaProducer<String, SpecificRecord> producer;
    private static CommittedRecords<Revocation> revocations;

    private Path stateDir;
    private Path logDir;
    private RevocationServiceProcess instance;
    private GrantStream stream;

    @BeforeAll
    static void startInfrastructure() {
        infra = Infrastructure.start(Infrastructure.Options.forTests().withoutPostgres());
        infra.kafka().createTopics(Topics.newTopics(PARTITIONS, (short) 1));
        producer = TestResources.eventProducer(infra);
        revocations = new CommittedRecords<>(new RegistrySerdes(infra.registry().nativeApiUrl()),
                infra.kafka().bootstrapServers(), Topics.REVOCATIONS.name(), PARTITIONS);
    }

    @AfterAll
    static void stopInfrastructure() {
        TestResources.closeQuietly(producer, revocations, infra);
    }

    @BeforeEach
    void startRevoker(TestInfo test) throws IOException {
        // A state dir of its own per test: state shared under exactly-once corrupts tasks.
        stateDir = Files.createTempDirectory("revocation-crash-it-");
        logDir = TestResources.logDir(getClass().getSimpleName(), test.getTestMethod().orElseThrow().getName());
        instance = RevocationServiceProcess.start("first", infra, stateDir, logDir).awaitRunning(DEADLINE);
    }

    @AfterEach
    void stopRevoker() {
        TestResources.closeQuietly(stream, instance);
        TestResources.deleteRecursively(stateDir);
    }

    @Test
    void shouldRevokeEveryGrantExactlyOnceWhenKilledMidStreamAndRestartedOnItsStateDir() {
        // given: the stream is flowing and the revoker is working through it
        stream = new GrantStream(producer, "same-state", WORKLOADS);
        CompletableFuture<Void> produced = stream.produce(0, GRANTS, PAIRS_PER_SECOND);
        killAfterSomeRevocations();

        // when: it comes back on the state it had
        instance = RevocationServiceProcess.start("restarted", infra, stateDir, logDir).awaitRunning(DEADLINE);
        produced.join();
        stream.sendSentinels(PARTITIONS);

        // then
        stream.assertEachGrantRevokedExactlyOnce(revocations, GRANTS, DEADLINE);
    }

    @Test
    void shouldRevokeEveryGrantExactlyOnceWhenKilledMidStreamAndRestartedOnAWipedStateDir() {
        // given
        stream = new GrantStream(producer, "wiped-state", WORKLOADS);
        CompletableFuture<Void> produced = stream.produce(0, GRANTS, PAIRS_PER_SECOND);
        killAfterSomeRevocations();

        // when: its disk is lost, so it restores its state from the changelog topics
        TestResources.deleteRecursively(stateDir);
        instance = RevocationServiceProcess.start("restored", infra, stateDir, logDir).awaitRunning(DEADLINE);
        produced.join();
        stream.sendSentinels(PARTITIONS);

        // then
        stream.assertEachGrantRevokedExactlyOnce(revocations, GRANTS, DEADLINE);
    }

    /** SIGKILL once part of the stream is revoked, with the rest still to come. */
    private void killAfterSomeRevocations() {
        await().atMost(DEADLINE).pollInSameThread().until(() -> stream.revokedSoFar(revocations) >= GRANTS / 5);
        instance.kill();
        long revokedBeforeKill = stream.revokedSoFar(revocations);
        LOG.info("Killed the revoker with {} of {} grants revoked", revokedBeforeKill, GRANTS);
        assertTrue(revokedBeforeKill < GRANTS, "killed in the middle of the stream, after " + revokedBeforeKill);
    }
}
