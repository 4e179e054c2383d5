package io.jitbroker.bench;

import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.contracts.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * (d) Restore: stop the service, delete its local state, start it again and time it until /health
 * answers 200 (it is DOWN until Kafka Streams is RUNNING, i.e. every store is restored from its
 * changelog). Then one preloaded grant's task completes: its revocation proves the restored state
 * is the real one.
 *
 * <p>The service leaves its consumer group when it stops. Should a member be left behind anyway (a
 * stop that timed out), a new instance would wait in its first rebalance until that member's session
 * timed out; the benchmark removes any such member through the Admin API before the restart, so that
 * the time measured is the restore's, and reports how many it removed.
 */
final class RestoreRun {

    static final String GROUP = "restore-check";
    private static final Logger LOG = LoggerFactory.getLogger(RestoreRun.class);
    private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(30);

    /**
     * @param staleMembers members the stopped instance left in its group (removed before the restart)
     * @param restore      from the new JVM's start to /health 200
     * @param checked      whether a preloaded grant was completed after the restore (not with --active 0)
     */
    record Result(Duration stop, int staleMembers, Duration restore, boolean checked, boolean checkArrived,
                  SendStats checkSends) {
    }

    private RestoreRun() {
    }

    static Result run(RevocationRun run, Admin admin) throws Exception {
        LOG.info("(d) stopping the service and deleting its state");
        Duration stop = run.service().stop();
        run.service().deleteState();
        int staleMembers = ConsumerGroups.removeAllMembers(admin, RevocationServiceUnderTest.APPLICATION_ID);
        if (staleMembers > 0) {
            LOG.info("(d) removed {} stale member(s) the stopped instance left in its group", staleMembers);
        }
        LOG.info("(d) starting the service again: it restores {} active grants", run.options().active());
        Duration restore = run.service().startAndAwaitHealthy(RESTORE_TIMEOUT);
        LOG.info("(d) healthy again after {} s", String.format("%.1f", restore.toMillis() / 1000.0));
        SendStats checkSends = new SendStats();
        if (run.options().active() == 0) {
            return new Result(stop, staleMembers, restore, false, true, checkSends);
        }
        long first = 0;
        String grantId = run.events().grantId(ExpiryRun.PRELOAD_SERIES, first);
        TaskEvent completion = run.events().completion(ExpiryRun.PRELOAD_SERIES, first, Instant.now());
        run.revocations().expect(grantId, GROUP, RevocationReason.TASK_COMPLETED.name(), true);
        try (Producer<String, SpecificRecord> producer = run.clients().avroProducer("bench-restore-check", Map.of())) {
            producer.send(new ProducerRecord<>(Topics.TASK_EVENTS.name(), completion.getTaskId(), completion),
                    (metadata, exception) -> {
                        long acknowledgedAt = BenchClock.nowMicros();
                        if (checkSends.onCompletion(metadata, exception)) {
                            run.revocations().referenceAt(grantId, acknowledgedAt);
                        }
                    });
            producer.flush();
        }
        boolean arrived = run.revocations().awaitAll(GROUP, RevocationRun.STALL_TIMEOUT, run::healthy);
        return new Result(stop, staleMembers, restore, true, arrived, checkSends);
    }
}
