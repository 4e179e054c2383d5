package io.jitbroker.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/** What the broker knows about a consumer group (a Kafka Streams app's application.id). */
final class ConsumerGroups {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroups.class);
    private static final long TIMEOUT_SECONDS = 30;
    private static final Duration LAG_POLL = Duration.ofMillis(500);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    /** Give up waiting for a group's intake if its lag has not shrunk for this long. */
    private static final Duration INTAKE_STALL = Duration.ofMinutes(3);

    private ConsumerGroups() {
    }

    /**
     * How far the group is behind: for every partition it has committed (its input and repartition
     * topics) plus every partition of the given input topics, the read_committed end offset minus the
     * committed offset.
     */
    static long lag(Admin admin, String groupId, Collection<String> inputTopics)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Set<TopicPartition> partitions = new HashSet<>(committed.keySet());
        admin.describeTopics(inputTopics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .forEach((topic, description) -> description.partitions()
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin
                .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        long lag = 0;
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata offset = committed.get(tp);
            long position = offset == null ? 0 : offset.offset();
            lag += Math.max(0, ends.get(tp).offset() - position);
        }
        return lag;
    }

    /**
     * Removes every member still registered in the group and returns how many there were. A member
     * that did not leave (a stop that timed out) is dropped by the broker only when its session times
     * out, and a new instance's first rebalance would wait for it until then.
     */
    static int removeAllMembers(Admin admin, String groupId)
            throws InterruptedException, ExecutionException, TimeoutException {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(groupId);
        if (group == null || group.members().isEmpty()) {
            return 0;
        }
        admin.removeMembersFromConsumerGroup(groupId, new RemoveMembersFromConsumerGroupOptions())
                .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return group.members().size();
    }

    /**
     * Polls the group's lag until it is 0; false if it stops shrinking or the service dies.
     *
     * @param phase names the benchmark phase in the progress log
     */
    static boolean awaitNoLag(Admin admin, String groupId, Collection<String> inputTopics, BooleanSupplier healthy,
                              String phase) throws Exception {
        long best = Long.MAX_VALUE;
        long lastImprovement = System.nanoTime();
        long lastProgressLog = System.nanoTime();
        while (healthy.getAsBoolean()) {
            long lag = lag(admin, groupId, inputTopics);
            if (lag == 0) {
                return true;
            }
            if (lag < best) {
                best = lag;
                lastImprovement = System.nanoTime();
            } else if (System.nanoTime() - lastImprovement > INTAKE_STALL.toNanos()) {
                LOG.error("{} the service's lag has stayed at {} or more for {}", phase, best, INTAKE_STALL);
                return false;
            }
            if (System.nanoTime() - lastProgressLog > PROGRESS_EVERY.toNanos()) {
                LOG.info("{} service lag: {} records", phase, lag);
                lastProgressLog = System.nanoTime();
            }
            Thread.sleep(LAG_POLL.toMillis());
        }
        return false;
    }
}
