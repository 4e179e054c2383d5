package io.jitbroker.examples.revocations;

import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.Revocation;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of jit.revocations.v1 (read_committed: only what the revoker's transactions
 * committed) on a thread of its own and applies each revocation to {@link RevokedGrants}: save first,
 * then commit the offsets to its group, so that a restart resumes after what is already saved and
 * reads nothing twice that it committed. Reports when it has caught up with the topic as it was at
 * start: until then the resource server refuses to answer (a revocation may not be applied yet).
 */
public final class RevocationListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationListener.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaConsumer<String, Revocation> consumer;
    private final RevokedGrants revoked;
    private final Thread thread;
    private final AtomicLong recordsRead = new AtomicLong();
    /** The committed end of each partition at start; caught up once every position reaches it. */
    private final Map<TopicPartition, Long> catchUpTargets = new HashMap<>();
    private volatile boolean caughtUp;
    private volatile boolean closing;
    private volatile Throwable failure;

    /** @param config consumer properties: see {@link RevocationConsumerApp#consumerConfig} */
    public RevocationListener(Map<String, Object> config, RevokedGrants revoked) {
        this.consumer = new KafkaConsumer<>(config);
        this.revoked = revoked;
        this.thread = new Thread(this::run, "revocation-listener");
    }

    public RevocationListener start() {
        thread.start();
        return this;
    }

    /** Whether every revocation committed before this listener started has been applied. */
    public boolean caughtUp() {
        return caughtUp && failure == null;
    }

    /** Records read since this listener started (none of them before its group's committed offsets). */
    public long recordsRead() {
        return recordsRead.get();
    }

    private void run() {
        try {
            // Every partition, not a share of them: each instance must know every revoked grant, so it
            // reads in a group of its own and is never balanced against another instance.
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.REVOCATIONS.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            // read_committed: the end offsets are the last stable offsets, what is committed now.
            catchUpTargets.putAll(consumer.endOffsets(partitions));
            while (!closing) {
                pollOnce();
            }
        } catch (WakeupException e) {
            if (!closing) {
                failure = e;
            }
        } catch (RuntimeException e) {
            // Fail closed: the resource server stops answering rather than serve with a stale set.
            failure = e;
            LOG.error("revocation listener stopped; the resource server refuses every request", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void pollOnce() {
        ConsumerRecords<String, Revocation> records;
        try {
            records = consumer.poll(POLL);
        } catch (RecordDeserializationException e) {
            // Only the revoker can write the topic (ACLs), so this is a schema or serde problem: say
            // where, and move on rather than stop every later revocation behind it.
            LOG.error("undecodable record at {} offset {} skipped: {}", e.topicPartition(), e.offset(), e.getMessage());
            consumer.seek(e.topicPartition(), e.offset() + 1);
            return;
        }
        for (ConsumerRecord<String, Revocation> record : records) {
            recordsRead.incrementAndGet();
            Revocation revocation = record.value();
            if (revocation == null) {
                continue;
            }
            revoked.add(new RevokedGrants.Entry(revocation.getGrantId(), revocation.getExpiresAt(),
                    revocation.getReason().name(), revocation.getDetail()));
            LOG.info("grant {} revoked ({}), from {}-{} offset {}", revocation.getGrantId(), revocation.getReason(),
                    record.topic(), record.partition(), record.offset());
        }
        if (!records.isEmpty()) {
            revoked.save();
            consumer.commitSync();
        }
        if (!caughtUp && catchUpTargets.entrySet().stream()
                .allMatch(target -> consumer.position(target.getKey()) >= target.getValue())) {
            caughtUp = true;
            LOG.info("caught up with {}: {} revoked grants", Topics.REVOCATIONS.name(), revoked.size());
        }
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        consumer.wakeup();
        thread.join(Duration.ofSeconds(10).toMillis());
    }
}
