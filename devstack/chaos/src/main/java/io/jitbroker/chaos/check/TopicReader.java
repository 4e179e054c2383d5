package io.jitbroker.chaos.check;

import io.jitbroker.contracts.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads topics once, as raw bytes: read_committed, no consumer group (assign and seek), every
 * partition from its beginning to the end offset it had when the read started. Values are left
 * undecoded so that one bad record cannot stop the read.
 */
final class TopicReader {

    private static final Logger LOG = LoggerFactory.getLogger(TopicReader.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> config = new HashMap<>();

    TopicReader(String bootstrapServers, Map<String, Object> extraClientProperties) {
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, "chaos-checker");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.putAll(extraClientProperties);
    }

    /**
     * Hands every committed record of {@code topics} below the read's end offsets to {@code sink}, in
     * partition order.
     *
     * @throws IllegalStateException when a partition's end is not reached within {@code timeout}
     */
    void read(List<Topic<?>> topics, Duration timeout, Consumer<ConsumerRecord<String, byte[]>> sink) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Topic<?> topic : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), timeout);
                if (infos.isEmpty()) {
                    LOG.warn("topic {} has no partitions (does it exist?): nothing read from it", topic);
                }
                infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
            }
            consumer.assign(partitions);
            // Under read_committed these are the last stable offsets: what was committed when we started.
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions, timeout));
            consumer.seekToBeginning(partitions);
            ends.entrySet().removeIf(end -> consumer.position(end.getKey(), timeout) >= end.getValue());
            consumer.pause(partitions.stream().filter(tp -> !ends.containsKey(tp)).toList());
            long records = 0;
            while (!ends.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read to the end within " + timeout + ": "
                            + describeLag(consumer, ends));
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    Long end = ends.get(new TopicPartition(record.topic(), record.partition()));
                    if (end != null && record.offset() < end) {
                        sink.accept(record);
                        records++;
                    }
                }
                // Positions move past aborted records and transaction markers too.
                List<TopicPartition> done = ends.keySet().stream()
                        .filter(tp -> consumer.position(tp, timeout) >= ends.get(tp)).toList();
                consumer.pause(done);
                done.forEach(ends::remove);
            }
            LOG.info("read {} records of {} up to the end offsets of the start of the read", records, topics);
        }
    }

    private static String describeLag(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream()
                .map(end -> end.getKey() + " at " + consumer.position(end.getKey()) + " of " + end.getValue())
                .collect(Collectors.joining(", "));
    }
}
