package io.jitbroker.examples.taskevents;

import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.events.v1.TaskEventType;
import io.jitbroker.kafka.KafkaClientSecurity;
import io.jitbroker.kafka.RegistrySerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes task lifecycle events on jit.task-events.v1 the way an orchestrator should: logged in
 * as its own Kafka user (SASL/SCRAM), keyed by task id, idempotent with acks=all (a retried send is
 * written once), the value Avro in the Confluent wire format (magic byte, 4-byte content id, Avro
 * binary) with the schema the registry already holds (it never registers one).
 */
public final class TaskEventPublisher implements AutoCloseable {

    /** How long {@link #publish} waits for the broker's acknowledgement. */
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaProducer<String, TaskEvent> producer;

    /** @param config Kafka client properties: {@link #producerConfig} */
    public TaskEventPublisher(Map<String, Object> config) {
        this.producer = new KafkaProducer<>(config);
    }

    /**
     * The producer's properties from the environment:
     * <ul>
     *   <li>{@code KAFKA_BOOTSTRAP_SERVERS} (required);</li>
     *   <li>{@code KAFKA_USERNAME} ({@code orchestrator}) and {@code KAFKA_PASSWORD} (required): its
     *       SASL/SCRAM-SHA-512 login;</li>
     *   <li>{@code KAFKA_SECURITY_PROTOCOL} ({@code SASL_SSL}; the broker's CA from the JVM's trust
     *       store, e.g. {@code -Djavax.net.ssl.trustStore=...});</li>
     *   <li>{@code SCHEMA_REGISTRY_URL} (required): the registry's native API, e.g.
     *       {@code https://registry.example/apis/registry/v2}.</li>
     * </ul>
     */
    public static Map<String, Object> producerConfig(Map<String, String> env) {
        // The registry serde as jit-broker's services use it: Avro in the Confluent wire format with the
        // content id, which the registry's Confluent-compatible API (/apis/ccompat/v7) also knows, so any
        // Confluent-compatible consumer can read the record; and never register: the schema is deployed
        // with jit-broker, a producer only looks it up (by content: the example's contracts version
        // must match a deployed schema).
        Map<String, Object> config = new RegistrySerdes(required(env, "SCHEMA_REGISTRY_URL")).producerConfig();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, required(env, "KAFKA_BOOTSTRAP_SERVERS"));
        config.putAll(KafkaClientSecurity.scram(env.getOrDefault("KAFKA_SECURITY_PROTOCOL", "SASL_SSL"),
                env.getOrDefault("KAFKA_USERNAME", "orchestrator"), required(env, "KAFKA_PASSWORD")).clientConfig());
        // Written once however often it is retried, and only acknowledged when every in-sync replica
        // has it. Needs no cluster right: WRITE on the topic is enough for an idempotent producer (KIP-679).
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // Retried within SEND_TIMEOUT, each attempt waiting at most REQUEST_TIMEOUT for the broker.
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REQUEST_TIMEOUT.toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
        return config;
    }

    /**
     * Reports that {@code workloadId}'s task {@code taskId} reached {@code type}, and waits until the
     * broker has it.
     *
     * @param workloadId the SPIFFE ID of the workload running the task: the revoker ends only the
     *                   grants of that workload's task
     * @throws ExecutionException with the broker's refusal as cause, e.g. a
     *                            {@link org.apache.kafka.common.errors.TopicAuthorizationException}
     *                            for a user without WRITE on the topic
     */
    public RecordMetadata publish(String taskId, String workloadId, TaskEventType type)
            throws ExecutionException, InterruptedException, TimeoutException {
        TaskEvent event = TaskEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setTaskId(Objects.requireNonNull(taskId, "taskId"))
                .setWorkloadId(Objects.requireNonNull(workloadId, "workloadId"))
                .setType(Objects.requireNonNull(type, "type"))
                .setOccurredAt(Instant.now())
                .build();
        // Keyed by task id: every event of a task lands on one partition, in order.
        return producer.send(new ProducerRecord<>(Topics.TASK_EVENTS.name(), taskId, event))
                .get(SEND_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set");
        }
        return value;
    }
}
