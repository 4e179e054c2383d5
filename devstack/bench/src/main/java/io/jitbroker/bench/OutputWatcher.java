package io.jitbroker.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read_committed consumer of one output topic, on its own thread, that reports every record it
 * receives to {@link Deliveries} with the time its poll returned. It reads every partition from the
 * end as it was when it started (no consumer group: nothing to rebalance while measuring).
 *
 * @param <V> the value type
 */
final class OutputWatcher<V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutputWatcher.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String topic;
    private final Map<String, Object> config;
    private final Function<V, String> kindOf;
    private final ToLongFunction<V> emittedAt;
    private final Deliveries deliveries;
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private volatile boolean closed;
    private volatile KafkaConsumer<String, V> consumer;
    private Thread thread;

    /**
     * @param consumerConfig deserializers and bootstrap servers; isolation and offsets are set here
     * @param kindOf         what kind of output a value is (e.g. the revocation reason), null when untyped
     * @param emittedAt      when a value says it was emitted, in epoch microseconds, or {@link Deliveries#UNSET}
     */
    OutputWatcher(String topic, Map<String, Object> consumerConfig, Function<V, String> kindOf,
                  ToLongFunction<V> emittedAt, Deliveries deliveries) {
        this.topic = topic;
        this.config = new HashMap<>(consumerConfig);
        this.config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.config.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-watcher-" + topic);
        this.kindOf = kindOf;
        this.emittedAt = emittedAt;
        this.deliveries = deliveries;
    }

    /** Starts reading; returns once every partition is positioned at its current end. */
    OutputWatcher<V> start() throws InterruptedException {
        thread = new Thread(this::run, "bench-watcher-" + topic);
        thread.setDaemon(true);
        thread.start();
        if (!positioned.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the consumer of " + topic + " was not positioned within 60 s");
        }
        RuntimeException error = failure.get();
        if (error != null) {
            throw error;
        }
        return this;
    }

    private void run() {
        try (KafkaConsumer<String, V> kafka = new KafkaConsumer<>(config)) {
            consumer = kafka;
            List<TopicPartition> partitions = kafka.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            kafka.assign(partitions);
            kafka.seekToEnd(partitions);
            partitions.forEach(kafka::position);
            positioned.countDown();
            while (!closed) {
                ConsumerRecords<String, V> records = kafka.poll(POLL);
                long receivedAt = BenchClock.nowMicros();
                for (ConsumerRecord<String, V> record : records) {
                    V value = record.value();
                    if (value == null) {
                        deliveries.received(record.key(), null, receivedAt, Deliveries.UNSET);
                    } else {
                        deliveries.received(record.key(), kindOf.apply(value), receivedAt, emittedAt.applyAsLong(value));
                    }
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                failure.set(new IllegalStateException("the consumer of " + topic + " was woken up unexpectedly", e));
            }
        } catch (RuntimeException e) {
            LOG.error("The consumer of {} failed", topic, e);
            failure.set(e);
        } finally {
            positioned.countDown();
        }
    }

    /** Whether the consumer is still reading (a failed consumer would silently stop the measurement). */
    boolean healthy() {
        return failure.get() == null && thread != null && thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        KafkaConsumer<String, V> kafka = consumer;
        if (kafka != null) {
            kafka.wakeup();
        }
        if (thread != null) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }
}
