package io.jitbroker.issuer.kafka;

import io.jitbroker.contracts.Topics;
import io.jitbroker.issuer.domain.CatchUpTracker;
import io.jitbroker.issuer.domain.RevocationWatermarkStore;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confirms how far the revocation consumer has applied the partitions of jit.revocations.v1 it holds,
 * and records it in the database for every instance (a {@link CatchUpTracker} proves it; the store
 * shares it). It runs on the consumer's own thread before each of its polls, idle ones included
 * ({@link RevocationConsumerPolls}), at most every {@link #INTERVAL}: one round asks the broker the end
 * offsets of the held partitions with no probe outstanding (one ListOffsets round trip) and writes the
 * new confirmations in one statement. A consumer that cannot reach the broker, or has stopped applying,
 * confirms nothing, and its partitions' watermarks age until another instance takes them over.
 */
@Singleton
public class RevocationCatchUpProbe {

    /** How often the consumer's thread confirms its partitions (and writes their watermarks). */
    static final Duration INTERVAL = Duration.ofMillis(500);
    /** How often the topic's partition count is read again (from the consumer's metadata, normally without a round trip). */
    private static final Duration PARTITION_COUNT_REFRESH = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(RevocationCatchUpProbe.class);

    private final CatchUpTracker tracker = new CatchUpTracker();
    private final RevocationWatermarkStore store;
    private final Clock clock;
    /** A round must not hold the consumer's thread long when the broker does not answer. */
    private final Duration requestTimeout;
    private Instant nextRound = Instant.MIN;
    private Instant nextPartitionCount = Instant.MIN;
    private boolean failing;
    private volatile int partitionCount;
    private volatile Map<Integer, Instant> heldKnownSince = Map.of();

    public RevocationCatchUpProbe(RevocationWatermarkStore store, Clock clock,
                                  @Value("${jit.issuer.revocation-max-staleness}") Duration maxStaleness) {
        this.store = store;
        this.clock = clock;
        Duration third = maxStaleness.dividedBy(3);
        this.requestTimeout = third.compareTo(Duration.ofSeconds(1)) < 0 ? third : Duration.ofSeconds(1);
    }

    /** The partition count of jit.revocations.v1; 0 until the consumer has read the topic's metadata. */
    public int partitionCount() {
        return partitionCount;
    }

    /**
     * The partitions this instance's consumer holds, each with the time since which it has been known
     * caught up here (see {@link CatchUpTracker#heldKnownSince()}); empty when it holds none.
     */
    public Map<Integer, Instant> heldKnownSince() {
        return heldKnownSince;
    }

    /** On the consumer's thread, before each poll: everything the previous poll returned has been applied. */
    void beforePoll(Consumer<?, ?> consumer) {
        Instant now = clock.instant();
        if (now.isBefore(nextRound)) {
            return;
        }
        nextRound = now.plus(INTERVAL);
        try {
            round(consumer, now);
            if (failing) {
                failing = false;
                LOG.info("confirming the progress of the partitions of {} again", Topics.Names.REVOCATIONS);
            }
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warn("cannot confirm the progress of the partitions of {} held here ({}); their watermarks age "
                        + "until this succeeds again or another instance takes them over: {}", Topics.Names.REVOCATIONS,
                        heldKnownSince.keySet(), e.toString());
            } else {
                LOG.debug("confirming the progress of {} failed again: {}", Topics.Names.REVOCATIONS, e.toString());
            }
        }
    }

    private void round(Consumer<?, ?> consumer, Instant now) {
        if (!now.isBefore(nextPartitionCount)) {
            List<PartitionInfo> partitions = consumer.partitionsFor(Topics.Names.REVOCATIONS, requestTimeout);
            if (partitions != null && !partitions.isEmpty()) {
                partitionCount = partitions.size();
                nextPartitionCount = now.plus(PARTITION_COUNT_REFRESH);
            }
        }
        Set<TopicPartition> held = consumer.assignment().stream()
                .filter(partition -> partition.topic().equals(Topics.Names.REVOCATIONS))
                .collect(Collectors.toSet());
        Map<Integer, Long> positions = new HashMap<>();
        for (TopicPartition partition : held) {
            positions.put(partition.partition(), consumer.position(partition, requestTimeout));
        }
        Set<Integer> toProbe = tracker.positions(positions.keySet(), positions, now);
        heldKnownSince = tracker.heldKnownSince();
        if (!toProbe.isEmpty()) {
            Instant sentAt = clock.instant();
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(toProbe.stream()
                    .map(partition -> new TopicPartition(Topics.Names.REVOCATIONS, partition))
                    .toList(), requestTimeout);
            Map<Integer, Long> byPartition = new HashMap<>();
            endOffsets.forEach((partition, offset) -> {
                if (offset != null) {
                    byPartition.put(partition.partition(), offset);
                }
            });
            tracker.endOffsets(byPartition, sentAt);
            heldKnownSince = tracker.heldKnownSince();
        }
        Map<Integer, CatchUpTracker.Confirmation> confirmations = tracker.takeUnrecorded();
        try {
            store.record(confirmations, consumer.groupMetadata().memberId());
        } catch (RuntimeException e) {
            tracker.unrecorded(confirmations);
            throw e;
        }
    }
}
