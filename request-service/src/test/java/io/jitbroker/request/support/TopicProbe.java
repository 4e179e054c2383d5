package io.jitbroker.request.support;

import static org.awaitility.Awaitility.await;

import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.contracts.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionFactory;

/**
 * Reads what lands on one topic from the moment it is created (or last {@link #skipToEnd()}),
 * through the schema registry like any consumer.
 */
public final class TopicProbe<V> implements AutoCloseable {

    private final KafkaConsumer<String, V> consumer;
    private final List<ConsumerRecord<String, V>> seen = new ArrayList<>();

    private TopicProbe(KafkaConsumer<String, V> consumer) {
        this.consumer = consumer;
    }

    public static <V> TopicProbe<V> onTopic(Infrastructure infra, Topic<?> topic) {
        Map<String, Object> config = new RegistrySerdes(infra.registry().nativeApiUrl()).consumerConfig();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A parked fetch holds the connection, and the offset requests queue behind it: keep fetches short.
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config);
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        TopicProbe<V> probe = new TopicProbe<>(consumer);
        probe.skipToEnd();
        return probe;
    }

    /** Forgets everything on the topic so far. */
    public void skipToEnd() {
        // One offsets request and local seeks: seekToEnd() plus position() costs a round trip per partition.
        consumer.endOffsets(consumer.assignment()).forEach(consumer::seek);
        seen.clear();
    }

    /**
     * Polls until a record matches, then on to the end of every partition (so that whatever was
     * published before the match, on any partition, is read too), and returns every record seen
     * since the last skip.
     */
    public List<ConsumerRecord<String, V>> awaitRecord(Predicate<ConsumerRecord<String, V>> wanted) {
        polling().until(() -> {
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
            return seen.stream().anyMatch(wanted);
        });
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        polling().until(() -> {
            if (!atEnd(ends)) {
                consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
            }
            return atEnd(ends);
        });
        return List.copyOf(seen);
    }

    private boolean atEnd(Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    /** How many records the topic has ever held: the sum of its partitions' end offsets (nothing is decoded). */
    public long endOffsetTotal() {
        return consumer.endOffsets(consumer.assignment()).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Each check blocks in poll() already, so no extra delay between checks. */
    private static ConditionFactory polling() {
        return await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1));
    }

    @Override
    public void close() {
        consumer.close();
    }
}
