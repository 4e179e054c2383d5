package io.jitbroker.bench;

import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.RevocationReason;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * (e) Mass expiry, like etcd's lease benchmark: {@code --mass-expiry} grants whose expiries are spread
 * evenly over {@code --mass-expiry-window-seconds} (default 60), all sent ahead of the first (so each is in the service's state before it
 * is due); lateness is the read_committed receipt of each TTL_EXPIRED revocation minus its expiresAt.
 * How far ahead comes from the intake rate measured in (c): the time to take them all in, half again,
 * plus a margin.
 */
final class MassExpiryRun {

    static final String GROUP = "mass-expiry";
    static final String SERIES = "m";
    private static final Logger LOG = LoggerFactory.getLogger(MassExpiryRun.class);
    private static final Duration MARGIN = Duration.ofSeconds(5);
    /** The intake rate assumed when (c) preloaded nothing to measure it by. */
    private static final double ASSUMED_INTAKE_PER_S = 5_000;

    /**
     * @param firstExpiry      when the first grant expires
     * @param intakeSecondsBeforeFirstExpiry how long before the first expiry the service had taken all in
     *                         (negative: after it; the lateness then includes the intake)
     */
    record Result(long grants, Duration window, Instant firstExpiry, double sendSeconds, SendStats sends,
                  double intakeSecondsBeforeFirstExpiry, boolean allArrived) {
    }

    private MassExpiryRun() {
    }

    static Result run(RevocationRun run, Admin admin, double measuredIntakePerSecond) throws Exception {
        int n = run.options().massExpiry();
        double intakePerSecond = measuredIntakePerSecond > 0 ? measuredIntakePerSecond : ASSUMED_INTAKE_PER_S;
        Duration ahead = Duration.ofMillis(Math.round(n / intakePerSecond * 1500)).plus(MARGIN);
        Instant firstExpiry = Instant.now().plus(ahead).truncatedTo(ChronoUnit.MILLIS);
        Duration window = Duration.ofSeconds(run.options().massExpiryWindowSeconds());
        long windowMillis = window.toMillis();
        LOG.info("(e) sending {} grants expiring from {} over {} s ({} s from now)", n, firstExpiry,
                window.toSeconds(), ahead.toSeconds());
        SendStats sends = new SendStats();
        long started = System.nanoTime();
        try (Producer<String, SpecificRecord> producer = run.clients().avroProducer("bench-mass-expiry", ExpiryRun.BULK)) {
            for (long i = 0; i < n; i++) {
                Instant expiresAt = firstExpiry.plusMillis(i * windowMillis / n);
                GrantIssued grant = run.events().grant(SERIES, i, Instant.now(), expiresAt);
                run.revocations().expect(grant.getGrantId(), GROUP, RevocationReason.TTL_EXPIRED.name(), true,
                        BenchClock.toMicros(expiresAt));
                producer.send(new ProducerRecord<>(Topics.GRANTS.name(), grant.getGrantId(), grant), sends::onCompletion);
            }
            producer.flush();
        }
        double sendSeconds = (System.nanoTime() - started) / 1e9;
        ConsumerGroups.awaitNoLag(admin, RevocationServiceUnderTest.APPLICATION_ID,
                List.of(Topics.GRANTS.name(), Topics.TASK_EVENTS.name()), run::healthy, "(e)");
        double beforeFirstExpiry = Duration.between(Instant.now(), firstExpiry).toMillis() / 1000.0;
        LOG.info("(e) the service took them in {} s before the first expiry", String.format("%.1f", beforeFirstExpiry));
        Duration untilLastExpiry = Duration.between(Instant.now(), firstExpiry.plus(window));
        boolean allArrived = run.revocations().awaitAll(GROUP,
                RevocationRun.STALL_TIMEOUT.plus(untilLastExpiry.isNegative() ? Duration.ZERO : untilLastExpiry), run::healthy);
        return new Result(n, window, firstExpiry, sendSeconds, sends, beforeFirstExpiry, allArrived);
    }
}
