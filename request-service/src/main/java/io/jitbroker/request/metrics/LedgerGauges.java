package io.jitbroker.request.metrics;

import io.jitbroker.request.persistence.LedgerStatistics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges counted in the ledger database: requests waiting for approval, live grants, and dead
 * letters by consumer. Counted on a schedule, not per scrape, so that a scrape never waits for the
 * database; when the database does not answer they read NaN rather than a stale number.
 */
@Singleton
public class LedgerGauges {

    /** Requests in PENDING_APPROVAL. */
    public static final String PENDING_APPROVALS = "jit.pending.approvals";
    /** Grants issued, not revoked and not expired. */
    public static final String ACTIVE_GRANTS = "jit.active.grants";
    /** Dead letters recorded from jit.dead-letters.v1, by the consumer that rejected the record. */
    public static final String DEAD_LETTERS_RECORDED = "jit.dead.letters.recorded";

    private static final Logger LOG = LoggerFactory.getLogger(LedgerGauges.class);

    private final LedgerStatistics statistics;
    private final Clock clock;
    private final MultiGauge deadLetters;
    private volatile double pendingApprovals = Double.NaN;
    private volatile double activeGrants = Double.NaN;

    public LedgerGauges(LedgerStatistics statistics, Clock clock, MeterRegistry registry) {
        this.statistics = statistics;
        this.clock = clock;
        Gauge.builder(PENDING_APPROVALS, this, gauges -> gauges.pendingApprovals)
                .description("Access requests waiting for an SRE's approval")
                .register(registry);
        Gauge.builder(ACTIVE_GRANTS, this, gauges -> gauges.activeGrants)
                .description("Grants issued, not revoked and not expired")
                .register(registry);
        deadLetters = MultiGauge.builder(DEAD_LETTERS_RECORDED)
                .description("Dead letters recorded from jit.dead-letters.v1, by the consumer that rejected the record")
                .register(registry);
    }

    @Scheduled(fixedDelay = "${jit.metrics.gauge-refresh-interval:15s}", initialDelay = "1s")
    void refresh() {
        try {
            pendingApprovals = statistics.pendingApprovals();
            activeGrants = statistics.activeGrants(clock.instant());
            Map<String, Long> byConsumer = statistics.deadLettersByConsumer();
            deadLetters.register(byConsumer.entrySet().stream()
                    .map(e -> MultiGauge.Row.of(Tags.of("consumer", e.getKey()), e.getValue()))
                    .toList(), true);
        } catch (RuntimeException e) {
            pendingApprovals = Double.NaN;
            activeGrants = Double.NaN;
            LOG.warn("ledger gauges not refreshed: the database did not answer ({})", e.toString());
        }
    }
}
