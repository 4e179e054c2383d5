package io.jitbroker.policy.messaging;

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
import org.awaitility.Awaitility;

/**
 * Reads every committed record of one topic from the beginning, as a downstream service would
 * (read_committed), and waits for the ones a test expects.
 */
final class TopicReader<V extends SpecificRecord> implements AutoCloseable {

    private final KafkaConsumer<String, V> consumer;
    private final List<ConsumerRecord<String, V>> seen = new ArrayList<>();

    TopicReader(Topic<V> topic, String bootstrapServers, Map<String, Object> registryConsumerConfig) {
        Map<String, Object> config = new HashMap<>(registryConsumerConfig);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(config);
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Waits until a record matching {@code wanted} has been read, and returns it. */
    ConsumerRecord<String, V> await(Predicate<ConsumerRecord<String, V>> wanted) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInSameThread()
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                    return seen.stream().filter(wanted).findFirst().orElse(null);
                }, found -> found != null);
    }

    /** Everything read so far that matches {@code wanted}. */
    List<ConsumerRecord<String, V>> seen(Predicate<ConsumerRecord<String, V>> wanted) {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        return seen.stream().filter(wanted).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
