package io.jitbroker.policy.kafka;

import static io.jitbroker.policy.support.PolicyTopicWriter.bundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.contracts.Topics;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.PolicyBundle;
import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.policy.support.PolicyChangeRecorder;
import io.jitbroker.policy.support.PolicyDocs;
import io.jitbroker.policy.support.PolicyInfrastructure;
import io.jitbroker.policy.support.PolicyTopicWriter;
import io.jitbroker.policy.support.Quietly;
import io.jitbroker.policy.support.RecordReader;
import io.jitbroker.policy.support.RunningPolicyService;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bundle reader on a real broker and registry: records it must not run (undecodable or
 * invalid) are dead-lettered while it keeps going, and other bundles are none of its business.
 * The bundle it follows is fed directly on the topic; other test classes use other bundle names.
 */
class PolicyBundleReaderIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String FOLLOWED = "loader-it";

    private static Infrastructure infra;
    private static PolicyTopicWriter policyWriter;
    private static RecordReader<DeadLetter> deadLetters;
    /** Runs bundle {@link #FOLLOWED}. */
    private static RunningPolicyService follower;

    @BeforeAll
    static void startInfrastructure() {
        infra = PolicyInfrastructure.start();
        policyWriter = new PolicyTopicWriter(infra);
        deadLetters = new RecordReader<>(Topics.DEAD_LETTERS, infra.kafka().bootstrapServers(),
                new RegistrySerdes(infra.registry().nativeApiUrl()).consumerConfig());
        follower = RunningPolicyService.start(infra, Map.of("JIT_POLICY_BUNDLE", FOLLOWED));
    }

    @AfterAll
    static void stopEverything() {
        Quietly.close(follower, deadLetters, policyWriter, infra);
    }

    @Test
    void shouldDeadLetterAndLoadTheNextVersionWhenRecordCannotBeDecoded() throws Exception {
        // given
        double undecodableBefore = rejected("undecodable");
        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);

        // when: garbage, then a good version
        RecordMetadata bad = policyWriter.sendRaw(FOLLOWED, garbage);
        String good = "after-garbage-" + UUID.randomUUID();
        policyWriter.send(bundle(FOLLOWED, good, PolicyDocs.valid(good)));

        // then
        awaitVersion(good);
        DeadLetter letter = awaitDeadLetterFor(bad).value();
        assertEquals(PolicyBundleReader.CONSUMER, letter.getConsumer());
        assertEquals(garbage.length, letter.getPayload().remaining());
        assertEquals(undecodableBefore + 1, rejected("undecodable"));
    }

    static Stream<Arguments> invalidRecords() {
        return Stream.of(
                Arguments.of("a condition that does not type-check", "line 10: ",
                        (Function<String, PolicyBundle>) version -> bundle(FOLLOWED, version,
                                PolicyDocs.valid(version).replace("request.ttlSeconds <= 600", "workload.path > 600"))),
                Arguments.of("a version that is not the document's", "its document says",
                        (Function<String, PolicyBundle>) version -> bundle(FOLLOWED, version, PolicyDocs.valid("other"))),
                Arguments.of("a name that is not the key", "but keyed",
                        (Function<String, PolicyBundle>) version -> bundle("another", version, PolicyDocs.valid(version))),
                Arguments.of("a tombstone", "tombstone", (Function<String, PolicyBundle>) version -> null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRecords")
    void shouldDeadLetterAndKeepTheRunningPolicyWhenRecordIsInvalid(String what, String reason,
                                                                     Function<String, PolicyBundle> record) throws Exception {
        // given: a valid version runs
        String running = "valid-" + UUID.randomUUID();
        policyWriter.send(bundle(FOLLOWED, running, PolicyDocs.valid(running)));
        awaitVersion(running);
        double invalidBefore = rejected("invalid");

        // when
        RecordMetadata bad = policyWriter.send(FOLLOWED, record.apply("bad-" + UUID.randomUUID()));

        // then: reported (the reader has handled it by then) and nothing else changed
        DeadLetter letter = awaitDeadLetterFor(bad).value();
        assertTrue(letter.getReason().contains(reason), what + ": " + letter.getReason());
        assertEquals(running, follower.currentPolicy().version(), what);
        assertEquals(invalidBefore + 1, rejected("invalid"), what);
        // and the next valid version still loads
        String next = "next-" + UUID.randomUUID();
        policyWriter.send(bundle(FOLLOWED, next, PolicyDocs.valid(next)));
        awaitVersion(next);
    }

    @Test
    void shouldIgnoreOtherBundlesWhenTheyArePublished() throws Exception {
        // given
        String running = "mine-" + UUID.randomUUID();
        policyWriter.send(bundle(FOLLOWED, running, PolicyDocs.valid(running)));
        awaitVersion(running);

        // when: another bundle's version, then a marker version of ours
        policyWriter.send(bundle("someone-else", "theirs-1", PolicyDocs.valid("theirs-1")));
        String marker = "marker-" + UUID.randomUUID();
        policyWriter.send(bundle(FOLLOWED, marker, PolicyDocs.valid(marker)));

        // then: the only change seen is ours
        awaitVersion(marker);
        assertTrue(follower.context().getBean(PolicyChangeRecorder.class).changes().stream()
                .noneMatch(c -> c.current().version().equals("theirs-1")));
    }

    private static void awaitVersion(String version) {
        Awaitility.await().atMost(DEADLINE).until(() -> follower.currentPolicy().version().equals(version));
    }

    private static ConsumerRecord<String, DeadLetter> awaitDeadLetterFor(RecordMetadata source) {
        return deadLetters.await(r -> r.value().getSourceTopic().equals(source.topic())
                && r.value().getSourcePartition() == source.partition()
                && r.value().getSourceOffset() == source.offset());
    }

    private static double rejected(String reason) {
        return follower.context().getBean(MeterRegistry.class).get("jit.policy.bundle.rejected")
                .tag("reason", reason).counter().count();
    }
}
