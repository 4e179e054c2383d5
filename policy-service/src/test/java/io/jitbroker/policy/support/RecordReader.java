package io.jitbroker.policy.support;

import io.jitbroker.contracts.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.awaitility.Awaitility;

/**
 * Reads every committed record of one topic from the beginning, as a downstream service would
 * (read_committed), and waits for the ones a test expects.
 */
public final class RecordReader<V extends SpecificRecord> implements AutoCloseable {

    private final KafkaConsumer<String, V> consumer;
    private final List<TopicPartition> partitions;
    private final List<ConsumerRecord<String, V>> seen = new ArrayList<>();

    public RecordReader(Topic<V> topic, String bootstrapServers, Map<String, Object> registryConsumerConfig) {
        Map<String, Object> config = new HashMap<>(registryConsumerConfig);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(config);
        partitions = consumer.partitionsFor(topic.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Waits until a record matching {@code wanted} has been read, and returns it. */
    public ConsumerRecord<String, V> await(Predicate<ConsumerRecord<String, V>> wanted) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInSameThread()
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    poll();
                    return seen.stream().filter(wanted).findFirst().orElse(null);
                }, found -> found != null);
    }

    /** Everything up to the topic's current end that matches {@code wanted}. */
    public List<ConsumerRecord<String, V>> readToEnd(Predicate<ConsumerRecord<String, V>> wanted) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInSameThread()
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    poll();
                    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
                });
        return seen.stream().filter(wanted).toList();
    }

    /** Reads what is there; a record that cannot be decoded (some tests write garbage on purpose) is skipped. */
    private void poll() {
        try {
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        } catch (RecordDeserializationException e) {
            consumer.seek(e.topicPartition(), e.offset() + 1);
        }
    }

    /** The sum of the topic's end offsets: it moves when anything is written. */
    public long endOffsetSum() {
        return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
