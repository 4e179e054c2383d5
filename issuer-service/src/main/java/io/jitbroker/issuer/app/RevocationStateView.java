package io.jitbroker.issuer.app;

import io.jitbroker.contracts.Topics;
import io.jitbroker.issuer.domain.RevocationFreshness;
import io.jitbroker.issuer.domain.RevocationStateUnknown;
import io.jitbroker.issuer.domain.RevocationWatermarkStore;
import io.jitbroker.issuer.domain.RevocationWatermarks;
import io.jitbroker.issuer.kafka.RevocationCatchUpProbe;
import io.jitbroker.issuer.metrics.IssuerMetrics;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's view of the shared watermarks ({@link RevocationWatermarks}): the whole small table,
 * read at most every {@link #CACHE_FOR} whatever the traffic, so a request costs no database round trip
 * of its own. A read that fails keeps the last view, whose watermarks only grow older: the answers fail
 * closed as they pass the bound. Once a second the view is also read on a schedule, which logs each
 * partition that becomes stale (WARN) or fresh again (INFO), once per change.
 */
@Singleton
public class RevocationStateView implements RevocationFreshness {

    static final Duration CACHE_FOR = Duration.ofMillis(100);
    private static final Logger LOG = LoggerFactory.getLogger(RevocationStateView.class);

    private final RevocationWatermarkStore store;
    private final RevocationCatchUpProbe probe;
    private final Clock clock;
    private final Duration maxStaleness;
    private Map<Integer, Instant> watermarks = Map.of();
    private Instant readAt = Instant.MIN;
    private boolean readFailing;
    /** Per partition, whether the last scheduled look found it stale (absent: not looked at yet). */
    private final Map<Integer, Boolean> stale = new HashMap<>();

    public RevocationStateView(RevocationWatermarkStore store, RevocationCatchUpProbe probe, Clock clock,
                               IssuerMetrics metrics, @Value("${jit.issuer.revocation-max-staleness}") Duration maxStaleness) {
        this.store = store;
        this.probe = probe;
        this.clock = clock;
        this.maxStaleness = maxStaleness;
        metrics.revocationWatermarkAge(() -> current().oldestAge(clock.instant()));
    }

    @Override
    public Optional<RevocationStateUnknown> unknown(UUID grantId) {
        return current().judge(grantId, clock.instant(), maxStaleness);
    }

    public Duration maxStaleness() {
        return maxStaleness;
    }

    /** The watermarks as last read, read again when older than {@link #CACHE_FOR}. */
    synchronized RevocationWatermarks current() {
        Instant now = clock.instant();
        if (Duration.between(readAt, now).compareTo(CACHE_FOR) >= 0) {
            readAt = now;
            try {
                watermarks = store.read();
                if (readFailing) {
                    readFailing = false;
                    LOG.info("reading the revocation watermarks works again");
                }
            } catch (RuntimeException e) {
                if (!readFailing) {
                    readFailing = true;
                    LOG.warn("cannot read the revocation watermarks; answering from the last ones read, which only "
                            + "grow older: {}", e.toString());
                }
            }
        }
        return new RevocationWatermarks(probe.partitionCount(), watermarks);
    }

    /** First after the bound: a partition not confirmed by then, after a start, is worth a WARN. */
    @Scheduled(fixedDelay = "1s", initialDelay = "${jit.issuer.revocation-max-staleness}")
    void logChanges() {
        RevocationWatermarks view = current();
        Instant now = clock.instant();
        for (int partition = 0; partition < view.partitionCount(); partition++) {
            Optional<RevocationStateUnknown> unknown = view.judge(partition, now, maxStaleness);
            Boolean wasStale = stale.put(partition, unknown.isPresent());
            if (unknown.isPresent() && !Boolean.TRUE.equals(wasStale)) {
                LOG.warn("partition {} of {} is stale: {}; introspection and pickup of its grants answer 503 until "
                        + "an instance confirms it again", partition, Topics.Names.REVOCATIONS, unknown.get().describe());
            } else if (unknown.isEmpty() && Boolean.TRUE.equals(wasStale)) {
                LOG.info("partition {} of {} is fresh again: its revocations are confirmed applied", partition,
                        Topics.Names.REVOCATIONS);
            }
        }
    }
}
