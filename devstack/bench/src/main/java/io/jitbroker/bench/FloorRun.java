package io.jitbroker.bench;

import io.jitbroker.devstack.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * (b) The floor: {@link FloorApp} driven like (a) (same rate, same record size, same key length)
 * and timed the same way: read_committed receipt of the copy minus the acknowledgement of the
 * original's append.
 */
final class FloorRun {

    static final String GROUP = "floor";
    static final String SERIES = "f";
    private static final Logger LOG = LoggerFactory.getLogger(FloorRun.class);
    private static final int PARTITIONS = 3;

    record Result(PacedDriver.Report driver, int valueBytes, SendStats sends, boolean allArrived,
                  Deliveries.Outcome outcome, long unexpected, LatencySummary latency, List<Double> p99ByWindow) {
    }

    private FloorRun() {
    }

    /**
     * @param valueBytes the size of each record's value (that of the task events in (a))
     */
    static Result run(RevocationRun run, EmbeddedKafka kafka, int valueBytes, Path stateDir) throws InterruptedException {
        RevocationBenchOptions options = run.options();
        kafka.createTopics(List.of(FloorApp.INPUT_TOPIC, FloorApp.OUTPUT_TOPIC), PARTITIONS);
        long total = options.totalTasks();
        long warmup = options.warmupTasks();
        byte[] value = new byte[valueBytes];
        new Random(42).nextBytes(value);
        Deliveries copies = new Deliveries();
        SendStats sends = new SendStats();
        try (OutputWatcher<byte[]> watcher = new OutputWatcher<byte[]>(FloorApp.OUTPUT_TOPIC,
                     run.clients().bytesConsumerConfig(), v -> null, v -> Deliveries.UNSET, copies).start();
             FloorApp floor = FloorApp.start(run.clients().bootstrapServers(), options.commitIntervalMs(), stateDir);
             Producer<String, byte[]> producer = run.clients().bytesProducer("bench-floor")) {
            LOG.info("(b) sending {} records of {} B at {}/s through the floor app", total, valueBytes, options.rate());
            PacedDriver.Report driver = PacedDriver.run(options.rate(), total, warmup, Duration.ZERO, null, i -> {
                // Same key length as the task events of (a).
                String key = run.events().taskId(SERIES, i);
                copies.expect(key, GROUP, null, i >= warmup);
                producer.send(new ProducerRecord<>(FloorApp.INPUT_TOPIC, key, value), (metadata, exception) -> {
                    long acknowledgedAt = BenchClock.nowMicros();
                    if (sends.onCompletion(metadata, exception)) {
                        copies.referenceAt(key, acknowledgedAt);
                    }
                });
            });
            producer.flush();
            LOG.info("(b) all records sent; waiting for their copies");
            boolean allArrived = copies.awaitAll(GROUP, RevocationRun.STALL_TIMEOUT,
                    () -> floor.alive() && watcher.healthy());
            Thread.sleep(run.quietPeriod().toMillis());
            Deliveries.Outcome outcome = copies.outcome(GROUP);
            return new Result(driver, valueBytes, sends, allArrived, outcome, copies.unexpected(),
                    LatencySummary.of(outcome.latencies()), copies.p99ByWindow(GROUP, RevocationReport.WINDOW));
        }
    }
}
