package io.jitbroker.bench;

import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.Revocation;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads jit.revocations.v1 as a downstream system does (read_committed, from the end as it was at
 * the start) and completes, for each grant, the future of its revocation's arrival (nanoTime), and
 * counts grants revoked more than once.
 */
public final class RevocationArrivals implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationArrivals.class);

    private final Map<String, Object> config;
    private final Map<String, CompletableFuture<Long>> arrivals = new ConcurrentHashMap<>();
    private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
    private final AtomicLong doubled = new AtomicLong();
    private final CountDownLatch positioned = new CountDownLatch(1);
    private volatile KafkaConsumer<String, Revocation> consumer;
    private volatile boolean closed;
    private Thread thread;

    public RevocationArrivals(Map<String, Object> consumerConfig) {
        this.config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-flow-revocations");
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
    }

    public RevocationArrivals start() throws InterruptedException {
        thread = new Thread(this::run, "bench-flow-revocations");
        thread.setDaemon(true);
        thread.start();
        if (!positioned.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the consumer of " + Topics.REVOCATIONS + " was not positioned within 60 s");
        }
        return this;
    }

    /** Completes with the nanoTime its revocation was read. */
    CompletableFuture<Long> of(String grantId) {
        return arrivals.computeIfAbsent(grantId, id -> new CompletableFuture<>());
    }

    public long doubled() {
        return doubled.get();
    }

    private void run() {
        try (KafkaConsumer<String, Revocation> kafka = new KafkaConsumer<>(config)) {
            consumer = kafka;
            List<TopicPartition> partitions = kafka.partitionsFor(Topics.REVOCATIONS.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            kafka.assign(partitions);
            kafka.seekToEnd(partitions);
            partitions.forEach(kafka::position);
            positioned.countDown();
            while (!closed) {
                var records = kafka.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                for (ConsumerRecord<String, Revocation> record : records) {
                    String grantId = record.key();
                    if (seen.putIfAbsent(grantId, Boolean.TRUE) != null) {
                        doubled.incrementAndGet();
                    }
                    of(grantId).complete(now);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("the consumer of {} failed: flows waiting for a revocation will count as lost", Topics.REVOCATIONS, e);
        } finally {
            positioned.countDown();
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        KafkaConsumer<String, Revocation> kafka = consumer;
        if (kafka != null) {
            kafka.wakeup();
        }
        if (thread != null) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }
}
