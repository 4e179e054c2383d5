package io.jitbroker.bench;

import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.contracts.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * (a) Time to revoke: a sustained stream of tasks, each a GrantIssued then, {@link #lead} later, its
 * task's COMPLETED event; time to revoke is the read_committed receipt of the grant's Revocation
 * minus the acknowledgement of the completion's append (the producer's send callback, acks=all).
 */
final class CompletionRun {

    static final String GROUP = "completions";
    static final String SERIES = "c";
    private static final Logger LOG = LoggerFactory.getLogger(CompletionRun.class);

    /**
     * @param completionSends the completions' sends (their sizes size the floor's records)
     * @param allArrived      whether every revocation arrived (the final count is taken at the very end)
     */
    record Result(PacedDriver.Report driver, Duration lead, SendStats grantSends, SendStats completionSends,
                  boolean allArrived) {
    }

    private CompletionRun() {
    }

    /** Grants go this far ahead of their completions, so each is in the service's state first. */
    static Duration lead(RevocationBenchOptions options) {
        return Duration.ofMillis(Math.max(1_000, 10L * options.commitIntervalMs()));
    }

    static Result run(RevocationRun run) throws InterruptedException {
        RevocationBenchOptions options = run.options();
        long total = options.totalTasks();
        long warmup = options.warmupTasks();
        Duration lead = lead(options);
        Instant farFuture = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
        SendStats grantSends = new SendStats();
        SendStats completionSends = new SendStats();
        LOG.info("(a) sending {} tasks at {}/s ({} s warm-up, {} s measured), grants {} ms ahead",
                total, options.rate(), options.warmupSeconds(), options.seconds(), lead.toMillis());
        PacedDriver.Report driver;
        try (Producer<String, SpecificRecord> producer = run.clients().avroProducer("bench-completions", Map.of())) {
            driver = PacedDriver.run(options.rate(), total, warmup, lead,
                    i -> {
                        GrantIssued grant = run.events().grant(SERIES, i, Instant.now(), farFuture);
                        run.revocations().expect(grant.getGrantId(), GROUP, RevocationReason.TASK_COMPLETED.name(),
                                i >= warmup);
                        producer.send(new ProducerRecord<>(Topics.GRANTS.name(), grant.getGrantId(), grant),
                                grantSends::onCompletion);
                    },
                    i -> {
                        String grantId = run.events().grantId(SERIES, i);
                        TaskEvent completion = run.events().completion(SERIES, i, Instant.now());
                        producer.send(new ProducerRecord<>(Topics.TASK_EVENTS.name(), completion.getTaskId(), completion),
                                (metadata, exception) -> {
                                    long acknowledgedAt = BenchClock.nowMicros();
                                    if (completionSends.onCompletion(metadata, exception)) {
                                        run.revocations().referenceAt(grantId, acknowledgedAt);
                                    }
                                });
                    });
            producer.flush();
        }
        LOG.info("(a) all tasks sent ({}/s achieved); waiting for their revocations", String.format("%.1f", driver.achievedRate()));
        boolean allArrived = run.revocations().awaitAll(GROUP, RevocationRun.STALL_TIMEOUT, run::healthy);
        return new Result(driver, lead, grantSends, completionSends, allArrived);
    }
}
