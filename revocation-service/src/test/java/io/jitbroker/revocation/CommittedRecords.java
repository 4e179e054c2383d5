package io.jitbroker.revocation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jitbroker.kafka.RegistrySerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Everything committed to a topic, read from the beginning by a read_committed consumer through
 * the registry, polled on the test thread (consumers are not thread-safe): what a downstream
 * consumer of the revoker's exactly-once output sees.
 *
 * @param <V> the topic's value type
 */
public final class CommittedRecords<V> implements AutoCloseable {

    private final KafkaConsumer<String, V> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final List<ConsumerRecord<String, V>> seen = new ArrayList<>();

    public CommittedRecords(RegistrySerdes serdes, String bootstrapServers, String topic, int partitionCount) {
        Map<String, Object> config = serdes.consumerConfig();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(config);
        for (int partition = 0; partition < partitionCount; partition++) {
            partitions.add(new TopicPartition(topic, partition));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Waits for the first record with {@code key}, and checks it is the only one so far. */
    public V awaitOne(String key, Duration deadline) {
        await().atMost(deadline).pollInSameThread().until(() -> !valuesFor(key).isEmpty());
        List<V> values = valuesFor(key);
        assertEquals(1, values.size(), "exactly one record for " + key);
        return values.get(0);
    }

    /** Polls once, then answers from everything read so far. */
    public List<V> valuesFor(String key) {
        poll();
        return seen.stream().filter(record -> key.equals(record.key())).map(ConsumerRecord::value).toList();
    }

    /** Polls once, then answers how many distinct keys matching {@code keys} have been read. */
    public long distinctKeys(Predicate<String> keys) {
        poll();
        return seen.stream().map(ConsumerRecord::key).filter(keys).distinct().count();
    }

    /**
     * Reads up to the end of what is committed now (the last stable offset of every partition), so
     * a later count misses nothing that was committed before this call.
     */
    public void readToCommittedEnd(Duration deadline) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        await().atMost(deadline).pollInSameThread().until(() -> {
            poll();
            return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
        });
    }

    /** Every record read so far whose key matches. */
    public List<ConsumerRecord<String, V>> records(Predicate<String> keys) {
        return seen.stream().filter(record -> keys.test(record.key())).toList();
    }

    private void poll() {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
