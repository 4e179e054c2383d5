package io.jitbroker.issuer.support;

import io.jitbroker.contracts.Topic;
import io.jitbroker.kafka.RegistrySerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;

/** Reads a whole topic from the beginning, as an outside consumer would, and waits for records. */
public final class TopicReader<V extends SpecificRecord> implements AutoCloseable {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final KafkaConsumer<String, V> consumer;
    private final List<ConsumerRecord<String, V>> seen = new ArrayList<>();

    TopicReader(String bootstrapServers, RegistrySerdes serdes, Topic<V> topic) {
        Map<String, Object> config = new HashMap<>(serdes.consumerConfig());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(config);
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Waits until a record matches and returns the first that does. */
    public ConsumerRecord<String, V> await(Predicate<ConsumerRecord<String, V>> matching) {
        return Awaitility.await().atMost(DEADLINE).pollInSameThread()
                .until(() -> {
                    pollOnce();
                    return seen.stream().filter(matching).findFirst();
                }, Optional::isPresent)
                .orElseThrow();
    }

    /** Waits until {@code count} records match and returns them in topic order. */
    public List<ConsumerRecord<String, V>> await(Predicate<ConsumerRecord<String, V>> matching, int count) {
        return Awaitility.await().atMost(DEADLINE).pollInSameThread()
                .until(() -> {
                    pollOnce();
                    return seen.stream().filter(matching).toList();
                }, found -> found.size() >= count);
    }

    /** Everything read so far that matches (reads what has arrived first). */
    public List<ConsumerRecord<String, V>> seenSoFar(Predicate<ConsumerRecord<String, V>> matching) {
        pollOnce();
        return seen.stream().filter(matching).toList();
    }

    private void pollOnce() {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
