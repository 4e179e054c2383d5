package io.jitbroker.revocation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.TaskEventType;
import io.jitbroker.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;

/**
 * A stream of grants, each followed by its task's completion, spread over a few workloads (so over
 * every partition), produced at a steady pace on a background thread the way the issuer and
 * request-service would: the revoker is busy, with transactions open, whenever it is killed.
 * Every grant id starts with this stream's run id, so tests sharing a broker do not mix.
 */
final class GrantStream implements AutoCloseable {

    private static final Duration TTL = Duration.ofMinutes(15);
    private static final Duration TICK = Duration.ofMillis(20);

    private final KafkaProducer<String, SpecificRecord> producer;
    private final String run;
    private final int workloads;
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "grant-stream");
        thread.setDaemon(true);
        return thread;
    });
    private final List<String> sentinels = new ArrayList<>();

    GrantStream(KafkaProducer<String, SpecificRecord> producer, String run, int workloads) {
        this.producer = producer;
        this.run = run;
        this.workloads = workloads;
    }

    /**
     * Produces the pairs {@code from} (inclusive) to {@code to} (exclusive), {@code pairsPerSecond}
     * of them a second; the future completes once all are acknowledged.
     */
    CompletableFuture<Void> produce(int from, int to, int pairsPerSecond) {
        int perTick = Math.max(1, pairsPerSecond * (int) TICK.toMillis() / 1000);
        AtomicInteger next = new AtomicInteger(from);
        CompletableFuture<Void> done = new CompletableFuture<>();
        ScheduledFuture<?> ticks = pacer.scheduleAtFixedRate(() -> {
            try {
                for (int sent = 0; sent < perTick && next.get() < to; sent++) {
                    int index = next.getAndIncrement();
                    sendPair(grantId(index), workloadId(index), run + "-task-" + index)
                            .forEach(ack -> ack.exceptionally(error -> {
                                done.completeExceptionally(error);
                                return null;
                            }));
                }
                if (next.get() >= to) {
                    producer.flush();
                    done.complete(null);
                }
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        done.whenComplete((ignored, error) -> ticks.cancel(false));
        return done;
    }

    /**
     * One last grant and completion for each partition of the revoker's task side (partitioned by
     * task id). When all of them are revoked, every task-side Streams task has processed everything
     * produced before them: any duplicate a restart could cause would already be committed.
     */
    void sendSentinels(int partitions) {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int partition = 0; partition < partitions; partition++) {
            String grantId = run + "-sentinel-" + partition;
            sentinels.add(grantId);
            acks.addAll(sendPair(grantId, workloadId(partition), taskOnPartition(partition, partitions)));
        }
        producer.flush();
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
    }

    /**
     * Waits until every grant of the stream and every sentinel is revoked, reads everything
     * committed by then, and checks that each grant has exactly one revocation, for its completion.
     */
    void assertEachGrantRevokedExactlyOnce(CommittedRecords<Revocation> revocations, int grants, Duration deadline) {
        int expected = grants + sentinels.size();
        await().atMost(deadline).pollInSameThread().until(() -> revocations.distinctKeys(this::isOurs) == expected);
        revocations.readToCommittedEnd(deadline);

        List<ConsumerRecord<String, Revocation>> ours = revocations.records(this::isOurs);
        Map<String, Long> perGrant = ours.stream()
                .collect(Collectors.groupingBy(ConsumerRecord::key, TreeMap::new, Collectors.counting()));
        Map<String, Long> doubled = new TreeMap<>(perGrant);
        doubled.values().removeIf(count -> count == 1);
        assertEquals(Map.of(), doubled, "grants revoked more than once");
        for (int index = 0; index < grants; index++) {
            assertTrue(perGrant.containsKey(grantId(index)), "grant " + grantId(index) + " was never revoked");
        }
        assertEquals(expected, ours.size(), "one revocation per grant");
        assertTrue(ours.stream().allMatch(record -> record.value().getReason() == RevocationReason.TASK_COMPLETED),
                "every grant revoked for its task's completion");
    }

    /** Distinct grants of this stream revoked so far. */
    long revokedSoFar(CommittedRecords<Revocation> revocations) {
        return revocations.distinctKeys(this::isOurs);
    }

    String grantId(int index) {
        return run + "-grant-" + index;
    }

    @Override
    public void close() {
        pacer.shutdownNow();
    }

    private boolean isOurs(String key) {
        return key != null && key.startsWith(run + "-");
    }

    private String workloadId(int index) {
        return "spiffe://dev.local/load/" + run + "/w-" + (index % workloads);
    }

    /**
     * A task id that lands on {@code partition} of jit.task-events.v1 and of the grants' task-keyed
     * repartition topic, both written with the producer's default partitioner: murmur2 of the key.
     */
    private String taskOnPartition(int partition, int partitions) {
        for (int candidate = 0; ; candidate++) {
            String taskId = run + "-sentinel-task-" + candidate;
            byte[] key = taskId.getBytes(StandardCharsets.UTF_8);
            if (Utils.toPositive(Utils.murmur2(key)) % partitions == partition) {
                return taskId;
            }
        }
    }

    /** The grant, then its task's completion; the futures complete when each is acknowledged. */
    private List<CompletableFuture<Void>> sendPair(String grantId, String workloadId, String taskId) {
        Instant now = Instant.now();
        GrantIssued grant = TestEvents.grant(grantId, workloadId, taskId, now, TTL);
        return List.of(
                send(Topics.GRANTS.name(), grantId, grant),
                send(Topics.TASK_EVENTS.name(), taskId,
                        TestEvents.taskEvent("completion-" + grantId, workloadId, taskId, TaskEventType.COMPLETED, now)));
    }

    private CompletableFuture<Void> send(String topic, String key, SpecificRecord value) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
            if (error == null) {
                ack.complete(null);
            } else {
                ack.completeExceptionally(error);
            }
        });
        return ack;
    }
}
