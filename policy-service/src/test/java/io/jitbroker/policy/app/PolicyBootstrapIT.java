package io.jitbroker.policy.app;

import static io.jitbroker.policy.support.PolicyTopicWriter.bundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.contracts.Topics;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.events.v1.PolicyBundle;
import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.policy.domain.LoadedBundle;
import io.jitbroker.policy.support.PolicyChangeRecorder;
import io.jitbroker.policy.support.PolicyDocs;
import io.jitbroker.policy.support.PolicyInfrastructure;
import io.jitbroker.policy.support.PolicyTopicWriter;
import io.jitbroker.policy.support.Quietly;
import io.jitbroker.policy.support.RecordReader;
import io.jitbroker.policy.support.RunningPolicyService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bootstrap from JIT_POLICY_FILE on a real broker and registry: the file becomes the first version
 * only on a topic that holds none of the bundle. Each test runs its own bundle name, so tests share
 * the topic without seeing each other.
 */
class PolicyBootstrapIT {

    private static Infrastructure infra;
    private static PolicyTopicWriter policyWriter;
    private static RecordReader<PolicyBundle> policyTopic;

    @BeforeAll
    static void startInfrastructure() {
        infra = PolicyInfrastructure.start();
        policyWriter = new PolicyTopicWriter(infra);
        policyTopic = new RecordReader<>(Topics.POLICIES, infra.kafka().bootstrapServers(),
                new RegistrySerdes(infra.registry().nativeApiUrl()).consumerConfig());
    }

    @AfterAll
    static void stopEverything() {
        Quietly.close(policyTopic, policyWriter, infra);
    }

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
        policyWriter.send(bundle(bundle, "existing-1", PolicyDocs.valid("existing-1")));
        Path file = write(dir, "policy.yaml", PolicyDocs.valid("file-1"));

        // when
        try (RunningPolicyService service = RunningPolicyService.start(infra,
                Map.of("JIT_POLICY_BUNDLE", bundle, "JIT_POLICY_FILE", file.toString()))) {

            // then
            assertEquals("existing-1", service.currentPolicy().version());
            assertEquals(1, policyTopic.readToEnd(r -> bundle.equals(r.key())).size());
        }
    }

    private static Path write(Path dir, String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
