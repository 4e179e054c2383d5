package io.jitbroker.policy.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.PolicyBundle;
import io.jitbroker.policy.support.PolicyChangeRecorder;
import io.jitbroker.policy.support.PolicyDocs;
import io.jitbroker.policy.support.Quietly;
import io.jitbroker.policy.support.RecordReader;
import io.jitbroker.policy.support.RunningPolicyService;
import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.contracts.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The loader on a real broker and registry: bootstrap from JIT_POLICY_FILE only onto an empty
 * topic, and records it must not run (undecodable or invalid) dead-lettered while it keeps going.
 * Each test runs its own bundle name, so tests share the topic without seeing each other.
 */
class PolicyBundleLoaderIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private static Infrastructure infra;
    private static RegistrySerdes serdes;
    private static KafkaProducer<String, SpecificRecord> producer;
    private static KafkaProducer<String, byte[]> rawProducer;
    private static RecordReader<PolicyBundle> policyTopic;
    private static RecordReader<DeadLetter> deadLetters;
    /** Runs bundle {@link #FOLLOWED}, fed directly on the topic by the tests below. */
    private static RunningPolicyService follower;
    private static final String FOLLOWED = "loader-it";

    @BeforeAll
    static void startInfrastructure() {
        RegistrySerdes.trustEventsPackage();
        infra = Infrastructure.start(Infrastructure.Options.forTests().withoutPostgres());
        infra.kafka().createTopics(Topics.newTopics(3, (short) 1));
        serdes = new RegistrySerdes(infra.registry().nativeApiUrl());
        String bootstrap = infra.kafka().bootstrapServers();
        Map<String, Object> producerConfig = new HashMap<>(serdes.producerConfig());
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(producerConfig);
        rawProducer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer());
        policyTopic = new RecordReader<>(Topics.POLICIES, bootstrap, serdes.consumerConfig());
        deadLetters = new RecordReader<>(Topics.DEAD_LETTERS, bootstrap, serdes.consumerConfig());
        follower = RunningPolicyService.start(infra, Map.of("JIT_POLICY_BUNDLE", FOLLOWED));
    }

    @AfterAll
    static void stopEverything() {
        Quietly.close(follower, policyTopic, deadLetters, producer, rawProducer, infra);
    }

    // ---- bootstrap ----

    @Test
    void shouldPublishTheFileAsFirstVersionWhenTopicHoldsNoBundle(@TempDir Path dir) throws IOException {
        // given
        String bundle = "boot-" + UUID.randomUUID();
        Path file = write(dir, "policy.yaml", PolicyDocs.valid("boot-1"));

        // when
        try (RunningPolicyService service = RunningPolicyService.start(infra,
                Map.of("JIT_POLICY_BUNDLE", bundle, "JIT_POLICY_FILE", file.toString()))) {

            // then: running, as published on the topic
            LoadedBundle running = service.currentPolicy().bundle();
            assertEquals("boot-1", running.version());
            assertEquals("policy-service bootstrap from " + file, running.publishedBy());
            var records = policyTopic.readToEnd(r -> bundle.equals(r.key()));
            assertEquals(1, records.size(), records.toString());
            assertEquals(PolicyDocs.valid("boot-1"), records.get(0).value().getDocument());
            // and listeners heard of it as the first load of a starting instance
            var changes = service.context().getBean(PolicyChangeRecorder.class).changes();
            assertEquals(1, changes.size(), changes.toString());
            assertTrue(changes.get(0).previous().isDenyAll());
            assertTrue(changes.get(0).catchingUp());
        }
    }

    @Test
    void shouldNotPublishTheFileAgainWhenInstanceRestartsWithAnotherFile(@TempDir Path dir) throws IOException {
        // given: a first instance bootstrapped the bundle from its file
        String bundle = "restart-" + UUID.randomUUID();
        Path first = write(dir, "first.yaml", PolicyDocs.valid("first-1"));
        RunningPolicyService.start(infra, Map.of("JIT_POLICY_BUNDLE", bundle, "JIT_POLICY_FILE", first.toString())).close();
        Path second = write(dir, "second.yaml", PolicyDocs.valid("second-1"));

        // when: it comes back with another file
        try (RunningPolicyService service = RunningPolicyService.start(infra,
                Map.of("JIT_POLICY_BUNDLE", bundle, "JIT_POLICY_FILE", second.toString()))) {

            // then: the topic decides, the file is not published
            assertEquals("first-1", service.currentPolicy().version());
            var records = policyTopic.readToEnd(r -> bundle.equals(r.key()));
            assertEquals(1, records.size(), records.toString());
        }
    }

    @Test
    void shouldRunThePublishedBundleNotTheFileWhenTopicAlreadyHoldsIt(@TempDir Path dir) throws Exception {
        // given: an admin published version existing-1 before this instance starts
        String bundle = "existing-" + UUID.randomUUID();
        send(bundle(bundle, "existing-1", PolicyDocs.valid("existing-1")));
        Path file = write(dir, "policy.yaml", PolicyDocs.valid("file-1"));

        // when
        try (RunningPolicyService service = RunningPolicyService.start(infra,
                Map.of("JIT_POLICY_BUNDLE", bundle, "JIT_POLICY_FILE", file.toString()))) {

            // then
            assertEquals("existing-1", service.currentPolicy().version());
            assertEquals(1, policyTopic.readToEnd(r -> bundle.equals(r.key())).size());
        }
    }

    // ---- records the loader must not run ----

    @Test
    void shouldDeadLetterAndLoadTheNextVersionWhenRecordCannotBeDecoded() throws Exception {
        // given
        double undecodableBefore = rejected("undecodable");
        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);

        // when: garbage, then a good version
        RecordMetadata bad = rawProducer.send(new ProducerRecord<>(Topics.POLICIES.name(), FOLLOWED, garbage)).get();
        String good = "after-garbage-" + UUID.randomUUID();
        send(bundle(FOLLOWED, good, PolicyDocs.valid(good)));

        // then
        awaitVersion(good);
        DeadLetter letter = awaitDeadLetterFor(bad).value();
        assertEquals(PolicyBundleLoader.CONSUMER, letter.getConsumer());
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
        send(bundle(FOLLOWED, running, PolicyDocs.valid(running)));
        awaitVersion(running);
        double invalidBefore = rejected("invalid");

        // when
        RecordMetadata bad = producer.send(new ProducerRecord<>(Topics.POLICIES.name(), FOLLOWED,
                record.apply("bad-" + UUID.randomUUID()))).get();

        // then: reported (the loader has handled it by then) and nothing else changed
        DeadLetter letter = awaitDeadLetterFor(bad).value();
        assertTrue(letter.getReason().contains(reason), what + ": " + letter.getReason());
        assertEquals(running, follower.currentPolicy().version(), what);
        assertEquals(invalidBefore + 1, rejected("invalid"), what);
        // and the next valid version still loads
        String next = "next-" + UUID.randomUUID();
        send(bundle(FOLLOWED, next, PolicyDocs.valid(next)));
        awaitVersion(next);
    }

    @Test
    void shouldIgnoreOtherBundlesWhenTheyArePublished() throws Exception {
        // given
        String running = "mine-" + UUID.randomUUID();
        send(bundle(FOLLOWED, running, PolicyDocs.valid(running)));
        awaitVersion(running);

        // when: another bundle's version, then a marker version of ours
        send(bundle("someone-else", "theirs-1", PolicyDocs.valid("theirs-1")));
        String marker = "marker-" + UUID.randomUUID();
        send(bundle(FOLLOWED, marker, PolicyDocs.valid(marker)));

        // then: the only change seen is ours
        awaitVersion(marker);
        assertTrue(follower.context().getBean(PolicyChangeRecorder.class).changes().stream()
                .noneMatch(c -> c.current().version().equals("theirs-1")));
    }

    private static PolicyBundle bundle(String name, String version, String document) {
        return PolicyBundle.newBuilder()
                .setName(name)
                .setVersion(version)
                .setDocument(document)
                .setPublishedBy("spiffe://dev.local/sre/policy-admin")
                .setPublishedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }

    private static void send(PolicyBundle bundle) throws ExecutionException, InterruptedException {
        producer.send(new ProducerRecord<>(Topics.POLICIES.name(), bundle.getName(), bundle)).get();
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

    private static Path write(Path dir, String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }}
