package io.jitbroker.revocation.kafka;

import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Resource;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.events.v1.TaskEventType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Runs the revoker's topology on synthetic tasks before the app joins its group, so that its hot
 * path is compiled before the first real record. Without it, a freshly started revoker ran its hot
 * path interpreted, then in the JIT's profiling tier while the one C2 thread worked through it:
 * on a busy 2-core host, revocations at 1,000 tasks/s took p99 3–4 s instead of ~150 ms for the
 * first 10–20 s. The run is Kafka Streams' own {@link TopologyTestDriver}: the same processors,
 * stores (RocksDB, in a temporary directory deleted after) and serdes, but nothing is read from or
 * written to a broker, and its revocations are dropped. Each synthetic task has one grant; three in
 * four end (COMPLETED), the fourth expires, so both the task-end path and the expiry sweep run.
 */
final class TopologyWarmUp {

    /** Ids of synthetic records start with this: they exist only inside the warm-up's driver. */
    static final String ID_PREFIX = "warm-up-";
    private static final int BATCH = 500;
    private static final List<Resource> RESOURCES = List.of(new Resource("http", "warm-up", List.of("read")));

    private TopologyWarmUp() {
    }

    /**
     * @param topology        a topology of its own (the driver takes it over), built like the app's
     * @param streamsSettings the app's Kafka Streams settings; the state directory is replaced
     * @param tasks           how many synthetic tasks to run through it
     * @return how many revocations came out (one per task)
     */
    static long run(Topology topology, Map<String, Object> streamsSettings, Serde<GrantIssued> grants,
                    Serde<TaskEvent> taskEvents, int tasks) {
        Path stateDir = createStateDir();
        Properties config = new Properties();
        config.putAll(streamsSettings);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "warm-up:9092"); // never connected to
        Instant start = Instant.now();
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, config, start)) {
            TestInputTopic<String, GrantIssued> grantTopic = driver.createInputTopic(Topics.GRANTS.name(),
                    new StringSerializer(), grants.serializer());
            TestInputTopic<String, TaskEvent> taskTopic = driver.createInputTopic(Topics.TASK_EVENTS.name(),
                    new StringSerializer(), taskEvents.serializer());
            for (int first = 0; first < tasks; first += BATCH) {
                Instant now = start.plus(Duration.ofSeconds(first / BATCH));
                int last = Math.min(tasks, first + BATCH);
                for (int i = first; i < last; i++) {
                    GrantIssued grant = grant(i, now);
                    grantTopic.pipeInput(grant.getGrantId(), grant, now);
                }
                for (int i = first; i < last; i++) {
                    if (i % 4 != 3) {
                        TaskEvent end = completion(i, now);
                        taskTopic.pipeInput(end.getTaskId(), end, now);
                    }
                }
                driver.advanceWallClockTime(Duration.ofSeconds(1)); // the fourth grant of each task expires
            }
            return driver.createOutputTopic(Topics.REVOCATIONS.name(), new StringDeserializer(),
                    new ByteArrayDeserializer()).getQueueSize();
        } finally {
            deleteRecursively(stateDir);
        }
    }

    private static GrantIssued grant(int i, Instant now) {
        return GrantIssued.newBuilder()
                .setGrantId(ID_PREFIX + "grant-" + i)
                .setRequestId(ID_PREFIX + "request-" + i)
                .setWorkloadId("spiffe://warm-up.invalid/workload/" + (i % 50))
                .setTaskId(ID_PREFIX + "task-" + i)
                .setEnvironment("warm-up")
                .setResources(RESOURCES)
                .setCredentialType("jwt")
                .setCredentialId(ID_PREFIX + "credential-" + i)
                .setIssuedAt(now)
                .setHeartbeatIntervalSeconds(null)
                .setExpiresAt(now.plusMillis(500))
                .build();
    }

    private static TaskEvent completion(int i, Instant now) {
        return TaskEvent.newBuilder()
                .setEventId(ID_PREFIX + "event-" + i)
                .setTaskId(ID_PREFIX + "task-" + i)
                .setWorkloadId("spiffe://warm-up.invalid/workload/" + (i % 50))
                .setType(TaskEventType.COMPLETED)
                .setOccurredAt(now)
                .build();
    }

    private static Path createStateDir() {
        try {
            return Files.createTempDirectory("jit-revocation-warm-up-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the warm-up's state directory", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
