package io.jitbroker.bench;

import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.contracts.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * (c) TTL expiry with many active grants: preload {@code --active} grants that expire far in the
 * future (as fast as the producer goes), wait until the service has taken them all in (its consumer
 * group has no lag left), then send {@code --expiring} grants that expire {@link #lead} after they
 * are sent; lateness is the read_committed receipt of each TTL_EXPIRED revocation minus its expiresAt.
 */
final class ExpiryRun {

    static final String GROUP = "expiries";
    static final String PRELOAD_SERIES = "p";
    static final String EXPIRING_SERIES = "e";
    private static final Logger LOG = LoggerFactory.getLogger(ExpiryRun.class);
    /** The preload is a bulk load: big batches, as an issuer catching up would send them. */
    static final Map<String, Object> BULK = Map.of(
            ProducerConfig.LINGER_MS_CONFIG, 20,
            ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);

    /**
     * @param preloadSeconds  from the first preload send to the last acknowledgement
     * @param intakeSeconds   from the first preload send until the service's group had no lag
     * @param activeInState   the active grants the service then reported holding (-1: it did not answer)
     */
    record Result(long preloaded, double preloadSeconds, SendStats preloadSends, double intakeSeconds,
                  boolean intakeComplete, long activeInState, Duration lead, PacedDriver.Report driver, SendStats expiringSends,
                  boolean allArrived) {

        double preloadRate() {
            return preloaded / preloadSeconds;
        }

        double intakeRate() {
            return preloaded / intakeSeconds;
        }
    }

    private ExpiryRun() {
    }

    /** Expiring grants are sent this far ahead of their expiry, so each is in the service's state first. */
    static Duration lead(RevocationBenchOptions options) {
        return Duration.ofMillis(Math.max(3_000, 20L * options.commitIntervalMs()));
    }

    static Result run(RevocationRun run, Admin admin) throws Exception {
        RevocationBenchOptions options = run.options();
        Instant farFuture = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
        SendStats preloadSends = new SendStats();
        long started = System.nanoTime();
        double preloadSeconds;
        LOG.info("(c) preloading {} active grants", options.active());
        try (Producer<String, SpecificRecord> producer = run.clients().avroProducer("bench-preload", BULK)) {
            for (long i = 0; i < options.active(); i++) {
                GrantIssued grant = run.events().grant(PRELOAD_SERIES, i, Instant.now(), farFuture);
                producer.send(new ProducerRecord<>(Topics.GRANTS.name(), grant.getGrantId(), grant),
                        preloadSends::onCompletion);
            }
            producer.flush();
            preloadSeconds = (System.nanoTime() - started) / 1e9;
        }
        LOG.info("(c) preloaded {} grants in {} s; waiting for the service to take them in", options.active(),
                String.format("%.1f", preloadSeconds));
        boolean intakeComplete = ConsumerGroups.awaitNoLag(admin, RevocationServiceUnderTest.APPLICATION_ID,
                List.of(Topics.GRANTS.name(), Topics.TASK_EVENTS.name()), run::healthy, "(c)");
        double intakeSeconds = (System.nanoTime() - started) / 1e9;
        long activeInState = run.service().activeGrants();

        Duration lead = lead(options);
        SendStats expiringSends = new SendStats();
        LOG.info("(c) sending {} grants over {} s, each expiring {} ms after it is sent", options.expiring(),
                options.expiringSeconds(), lead.toMillis());
        PacedDriver.Report driver;
        try (Producer<String, SpecificRecord> producer = run.clients().avroProducer("bench-expiring", Map.of())) {
            double perSecond = (double) options.expiring() / options.expiringSeconds();
            driver = PacedDriver.run(perSecond, options.expiring(), 0, Duration.ZERO, null, i -> {
                Instant now = Instant.now();
                Instant expiresAt = now.plus(lead).truncatedTo(ChronoUnit.MILLIS);
                GrantIssued grant = run.events().grant(EXPIRING_SERIES, i, now, expiresAt);
                run.revocations().expect(grant.getGrantId(), GROUP, RevocationReason.TTL_EXPIRED.name(), true,
                        BenchClock.toMicros(expiresAt));
                producer.send(new ProducerRecord<>(Topics.GRANTS.name(), grant.getGrantId(), grant),
                        expiringSends::onCompletion);
            });
            producer.flush();
        }
        boolean allArrived = run.revocations().awaitAll(GROUP, RevocationRun.STALL_TIMEOUT.plus(lead), run::healthy);
        return new Result(options.active(), preloadSeconds, preloadSends, intakeSeconds, intakeComplete, activeInState, lead, driver,
                expiringSends, allArrived);
    }
}
