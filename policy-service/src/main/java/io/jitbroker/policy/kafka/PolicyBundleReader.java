package io.jitbroker.policy.kafka;

import io.jitbroker.contracts.DeadLetters;
import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.PolicyBundle;
import io.jitbroker.kafka.KafkaClientSecurity;
import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.policy.app.CurrentPolicy;
import io.jitbroker.policy.app.PolicyBootstrap;
import io.jitbroker.policy.app.PolicyBundleApplier;
import io.jitbroker.policy.app.WriteFailedException;
import io.jitbroker.policy.domain.LoadedBundle;
import io.jitbroker.policy.metrics.BundleMetrics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows this instance's bundle ({@code jit.policy.bundle}) on the compacted jit.policies.v1, on
 * its own thread, and hands each version to {@link PolicyBundleApplier}.
 *
 * <p>Every instance reads the whole topic from the beginning with a plain consumer (all partitions
 * assigned, no consumer group, read_committed): each one must see every version, and the
 * compacted topic holds little more than the latest record per bundle. Records of other bundles
 * are skipped. A record that cannot be decoded, is not a bundle, has no key, deletes the bundle
 * (a tombstone), or that the applier refuses is logged with its offset, counted, written to
 * jit.dead-letters.v1, and changes nothing: the running policy stays.
 *
 * <p>Startup: {@link #caughtUp()} turns true once the reader has read up to the end offsets the
 * topic had when it started; if the topic then held no record of this bundle and JIT_POLICY_FILE
 * is set, {@link PolicyBootstrap} first publishes the file and the reader reads it back. Until then
 * the instance must not decide (the readiness check is DOWN) since it would run the deny-all
 * placeholder.
 */
@Context
public class PolicyBundleReader implements AutoCloseable {

    /** Names this reader in its dead letters; kept, like the client id and thread name, from when it was the loader. */
    static final String CONSUMER = "policy-service bundle loader";
    private static final Logger LOG = LoggerFactory.getLogger(PolicyBundleReader.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

    private final CurrentPolicy current;
    private final PolicyBundleApplier applier;
    private final PolicyBootstrap bootstrap;
    private final BundleProducer producer;
    private final BundleMetrics metrics;
    private final Consumer<String, Object> consumer;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final CountDownLatch stopping = new CountDownLatch(1);

    /** Per partition, the offset of the next record the reader will read; guarded by itself. */
    private final Map<TopicPartition, Long> readUpTo = new HashMap<>();

    // Owned by the reader thread.
    private Map<TopicPartition, Long> endOffsetsAtStart;
    private boolean bundleSeen;
    private RecordMetadata bootstrapWritten;

    public PolicyBundleReader(CurrentPolicy current, PolicyBundleApplier applier, PolicyBootstrap bootstrap,
                              BundleProducer producer, BundleMetrics metrics,
                              @Value("${kafka.bootstrap.servers}") String bootstrapServers,
                              RegistrySerdes registrySerdes,
                              KafkaClientSecurity security) {
        this.current = current;
        this.applier = applier;
        this.bootstrap = bootstrap;
        this.producer = producer;
        this.metrics = metrics;
        Map<String, Object> config = registrySerdes.consumerConfig();
        config.putAll(security.clientConfig());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "policy-service-bundle-loader");
        // The admin API publishes plain records; read_committed all the same, should a transactional writer appear.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        this.consumer = new KafkaConsumer<>(config);
        this.thread = new Thread(this::run, "policy-bundle-loader");
        this.thread.setDaemon(true);
    }

    @PostConstruct
    void start() {
        thread.start();
    }

    /** True once the running policy reflects the topic as it was when this instance started (or the bootstrap file). */
    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** Waits up to {@code timeout} for {@link #caughtUp()}. @return whether it is caught up */
    public boolean awaitCaughtUp(Duration timeout) {
        try {
            return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Waits up to {@code timeout} until the reader has read (and applied, or rejected) the record at
     * {@code offset} of {@code partition}. @return whether it has
     */
    public boolean awaitRead(TopicPartition partition, long offset, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (readUpTo) {
            while (readUpTo.getOrDefault(partition, 0L) <= offset) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(readUpTo, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private void run() {
        try {
            while (stopping.getCount() > 0) {
                try {
                    step();
                } catch (RecordDeserializationException e) {
                    undecodable(e);
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                } catch (WakeupException | InterruptException e) {
                    LOG.debug("Policy bundle reader woken up to stop");
                } catch (RuntimeException e) {
                    LOG.error("Reading {} failed; retrying in {} (still deciding with bundle {} version {})",
                            Topics.POLICIES.name(), RETRY_DELAY, current.name(), current.version(), e);
                    pause();
                }
            }
        } finally {
            closeConsumer();
        }
    }

    private void step() {
        if (endOffsetsAtStart == null && !assignAllPartitions()) {
            pause();
            return;
        }
        for (ConsumerRecord<String, Object> record : consumer.poll(POLL_TIMEOUT)) {
            handle(record);
        }
        recordProgress();
        if (!caughtUp()) {
            checkCaughtUp();
        }
    }

    private boolean assignAllPartitions() {
        List<PartitionInfo> infos = consumer.partitionsFor(Topics.POLICIES.name());
        if (infos == null || infos.isEmpty()) {
            LOG.warn("Topic {} does not exist yet; waiting for it (every request is denied meanwhile)", Topics.POLICIES.name());
            return false;
        }
        List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        endOffsetsAtStart = Map.copyOf(consumer.endOffsets(partitions));
        LOG.info("Reading policy bundle {} from {} up to end offsets {} before deciding", current.name(),
                Topics.POLICIES.name(), endOffsetsAtStart);
        return true;
    }

    private void recordProgress() {
        synchronized (readUpTo) {
            for (TopicPartition partition : endOffsetsAtStart.keySet()) {
                readUpTo.put(partition, consumer.position(partition));
            }
            readUpTo.notifyAll();
        }
    }

    private void checkCaughtUp() {
        for (Map.Entry<TopicPartition, Long> end : endOffsetsAtStart.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return;
            }
        }
        if (!bundleSeen && bootstrap.isConfigured()) {
            if (bootstrapWritten == null) {
                bootstrapWritten = bootstrap.publishFirstVersion();
            }
            TopicPartition partition = new TopicPartition(bootstrapWritten.topic(), bootstrapWritten.partition());
            if (consumer.position(partition) <= bootstrapWritten.offset()) {
                return;
            }
        }
        LoadedBundle running = current.bundle();
        LOG.info("Caught up with {}: deciding with bundle {} version {}{}", Topics.POLICIES.name(), running.name(),
                running.version(), running.isDenyAll() ? " (no bundle published: every request is denied)" : "");
        caughtUp.countDown();
    }

    private void handle(ConsumerRecord<String, Object> record) {
        String key = record.key();
        if (key != null && !key.equals(current.name())) {
            LOG.debug("Skipping bundle {} at {}-{}@{}: this instance runs {}", key, record.topic(), record.partition(),
                    record.offset(), current.name());
            return;
        }
        bundleSeen |= key != null;
        try {
            String problem = apply(record);
            if (problem != null) {
                reject(record, problem);
            }
        } catch (RuntimeException e) {
            LOG.error("Loading {}-{}@{} failed", record.topic(), record.partition(), record.offset(), e);
            reject(record, "could not be loaded: " + DeadLetters.reasonOf(e));
        }
    }

    /** Applies the record's bundle if it is a valid new version. @return why it was refused, or null */
    private String apply(ConsumerRecord<String, Object> record) {
        if (record.key() == null) {
            return "the record has no key: a policy bundle is keyed by its name";
        }
        if (record.value() == null) {
            return "a tombstone: a policy bundle cannot be deleted";
        }
        if (!(record.value() instanceof PolicyBundle bundle)) {
            return "not a PolicyBundle but a " + record.value().getClass().getSimpleName();
        }
        if (!record.key().equals(bundle.getName())) {
            return "the bundle is named '" + bundle.getName() + "' but keyed '" + record.key() + "'";
        }
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        return applier.apply(bundle, where, !caughtUp()).orElse(null);
    }

    private void reject(ConsumerRecord<String, Object> record, String reason) {
        metrics.invalid();
        LOG.warn("Rejected policy bundle record {}-{}@{} (key {}): {}; still deciding with version {}", record.topic(),
                record.partition(), record.offset(), record.key(), reason, current.version());
        deadLetter(record.key(), DeadLetters.rejected(CONSUMER, record, null, reason, Instant.now()));
    }

    private void undecodable(RecordDeserializationException error) {
        String key = keyOf(error);
        if (key != null && !key.equals(current.name())) {
            LOG.debug("Skipping an undecodable record of bundle {} at {}@{}", key, error.topicPartition(), error.offset());
            return;
        }
        bundleSeen |= key != null;
        DeadLetter letter = DeadLetters.undecodable(CONSUMER, error, Instant.now());
        metrics.undecodable();
        LOG.warn("Undecodable policy bundle record {}@{} (key {}): {}; still deciding with version {}",
                error.topicPartition(), error.offset(), key, letter.getReason(), current.version());
        deadLetter(key, letter);
    }

    private void deadLetter(String key, DeadLetter letter) {
        try {
            producer.deadLetter(key, letter);
        } catch (WriteFailedException e) {
            // The record stays on the topic: the next instance to read it reports it again.
            LOG.error("Could not dead-letter {}-{}@{}: {}", letter.getSourceTopic(), letter.getSourcePartition(),
                    letter.getSourceOffset(), e.getMessage());
        }
    }

    private static String keyOf(RecordDeserializationException error) {
        ByteBuffer key = error.keyBuffer();
        return key == null ? null : StandardCharsets.UTF_8.decode(key.duplicate()).toString();
    }

    private void pause() {
        try {
            stopping.await(RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.countDown();
        }
    }

    private void closeConsumer() {
        try {
            consumer.close(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.debug("Closing the policy bundle consumer failed", e);
        }
    }

    @Override
    @PreDestroy
    public void close() {
        stopping.countDown();
        if (thread.getState() == Thread.State.NEW) {
            closeConsumer();
            return;
        }
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("The policy bundle reader did not stop within 10 s");
        }
    }
}
