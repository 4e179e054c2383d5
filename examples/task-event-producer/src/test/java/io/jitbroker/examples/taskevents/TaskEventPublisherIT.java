package io.jitbroker.examples.taskevents;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jitbroker.contracts.Topics;
import io.jitbroker.devstack.Directories;
import io.jitbroker.devstack.FreePorts;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.devstack.KafkaAccess;
import io.jitbroker.devstack.KafkaSecurity;
import io.jitbroker.devstack.launcher.DevStackOptions;
import io.jitbroker.devstack.launcher.ServiceProcess;
import io.jitbroker.devstack.launcher.ServiceSpec;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Resource;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.TaskEventType;
import io.jitbroker.kafka.RegistrySerdes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example on a broker locked down as in production (SASL/SCRAM, the ACLs of KafkaAccess plus a
 * downstream reader) with the real revoker running in its own JVM: the orchestrator's COMPLETED
 * revokes the grant, and a user without WRITE on the task events is refused.
 */
class TaskEventPublisherIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String WORKLOAD = "spiffe://dev.local/ci/deployer";
    private static final KafkaAccess.ServiceAccess DOWNSTREAM = KafkaAccess.downstream("billing-gateway");

    static {
        // Before any event class loads: Avro decodes only classes of trusted packages.
        RegistrySerdes.trustEventsPackage();
    }

    private static KafkaSecurity security;
    private static Infrastructure infra;
    private static Path stateDir;
    private static ServiceProcess revoker;

    @BeforeAll
    static void startSecureBrokerAndRevoker() throws IOException {
        security = KafkaSecurity.withRandomPasswords(KafkaAccess.aclBindings(DOWNSTREAM.service()));
        infra = Infrastructure.start(Infrastructure.Options.forTests().withoutPostgres().withKafkaSecurity(security));
        infra.kafka().createTopics(Topics.newTopics(3, (short) 1));

        stateDir = Files.createTempDirectory("task-event-producer-it-");
        Path root = DevStackOptions.locateRepositoryRoot();
        ServiceSpec spec = new ServiceSpec(KafkaAccess.REVOCATION_SERVICE, "revocation-service",
                "io.jitbroker.revocation.RevocationServiceApplication", FreePorts.find(), null);
        // As the dev stack runs it: its own Kafka user, which may read task events but not write them.
        Map<String, String> env = new HashMap<>(infra.serviceEnvironment(KafkaAccess.REVOCATION_SERVICE));
        env.put("HTTP_HOST", "127.0.0.1");
        env.put("HTTP_PORT", Integer.toString(spec.port()));
        env.put("KAFKA_STREAMS_STATE_DIR", stateDir.toString());
        revoker = ServiceProcess.start(spec, root, env,
                Path.of("target", "it-logs", "TaskEventPublisherIT", "revocation-service.log").toAbsolutePath(),
                List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
        revoker.awaitHealthy("127.0.0.1", Duration.ofSeconds(120));
    }

    @AfterAll
    static void stop() {
        if (revoker != null) {
            revoker.close();
        }
        if (infra != null) {
            infra.close();
        }
        if (stateDir != null) {
            Directories.deleteRecursively(stateDir);
        }
    }

    @Test
    void shouldRevokeTheGrantWhenTheOrchestratorReportsCompleted() throws Exception {
        // given: an active grant of the workload's task, as the issuer writes it
        String taskId = "task-" + UUID.randomUUID();
        GrantIssued grant = grant(taskId);
        try (KafkaProducer<String, SpecificRecord> issuer = issuerProducer()) {
            issuer.send(new ProducerRecord<>(Topics.GRANTS.name(), grant.getGrantId(), grant)).get(10, TimeUnit.SECONDS);
        }

        // when: the orchestrator reports the task's end with the example, configured from its environment
        try (TaskEventPublisher orchestrator = new TaskEventPublisher(TaskEventPublisher.producerConfig(
                environmentOf(KafkaAccess.ORCHESTRATOR)))) {
            orchestrator.publish(taskId, WORKLOAD, TaskEventType.COMPLETED);
        }

        // then: the revoker revokes the grant, as a downstream reader sees it
        Revocation revocation = awaitRevocation(grant.getGrantId());
        assertEquals(RevocationReason.TASK_COMPLETED, revocation.getReason());
        assertEquals(grant.getCredentialId(), revocation.getCredentialId());
    }

    @Test
    void shouldRefuseTheTaskEventWhenTheUserMayNotWriteTaskEvents() {
        // given: a user that logs in fine but has no WRITE on jit.task-events.v1 (a downstream reader)
        try (TaskEventPublisher reader = new TaskEventPublisher(TaskEventPublisher.producerConfig(
                environmentOf(DOWNSTREAM.service())))) {

            // when
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> reader.publish("task-" + UUID.randomUUID(), WORKLOAD, TaskEventType.COMPLETED));

            // then
            assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
        }
    }

    /** The variables an orchestrator's job would set (README.md), for {@code user} on the test broker. */
    private static Map<String, String> environmentOf(String user) {
        return Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", infra.kafka().bootstrapServers(),
                "KAFKA_SECURITY_PROTOCOL", KafkaSecurity.PROTOCOL.name,
                "KAFKA_USERNAME", user,
                "KAFKA_PASSWORD", security.password(user),
                "SCHEMA_REGISTRY_URL", infra.registry().nativeApiUrl());
    }

    private static GrantIssued grant(String taskId) {
        Instant now = Instant.now();
        String grantId = "grant-" + UUID.randomUUID();
        return GrantIssued.newBuilder()
                .setGrantId(grantId)
                .setRequestId("req-" + grantId)
                .setWorkloadId(WORKLOAD)
                .setTaskId(taskId)
                .setEnvironment("staging")
                .setResources(List.of(Resource.newBuilder()
                        .setType("http").setId("inventory-api").setActions(List.of("read")).build()))
                .setCredentialType("jwt")
                .setCredentialId("cred-" + grantId)
                .setIssuedAt(now)
                .setExpiresAt(now.plus(Duration.ofMinutes(15)))
                .build();
    }

    private static KafkaProducer<String, SpecificRecord> issuerProducer() {
        Map<String, Object> config = new RegistrySerdes(infra.registry().nativeApiUrl()).producerConfig();
        config.putAll(infra.kafka().clientConfig(KafkaAccess.ISSUER_SERVICE));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config);
    }

    /** Reads jit.revocations.v1 as the downstream reader, in its group, read_committed, until the grant's revocation. */
    private static Revocation awaitRevocation(String grantId) {
        Map<String, Object> config = new RegistrySerdes(infra.registry().nativeApiUrl()).consumerConfig();
        config.putAll(infra.kafka().clientConfig(DOWNSTREAM.service()));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, DOWNSTREAM.group());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<Revocation> found = new ArrayList<>();
        try (KafkaConsumer<String, Revocation> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(Topics.REVOCATIONS.name()));
            await().atMost(DEADLINE).pollInSameThread().until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (grantId.equals(record.key())) {
                        found.add(record.value());
                    }
                });
                return !found.isEmpty();
            });
        }
        return found.get(0);
    }
}
