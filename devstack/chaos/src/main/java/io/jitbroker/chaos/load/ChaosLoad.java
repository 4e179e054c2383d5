package io.jitbroker.chaos.load;

import io.jitbroker.bench.FlowBenchmark;
import io.jitbroker.bench.FlowClient;
import io.jitbroker.bench.FlowRecorder;
import io.jitbroker.bench.PacedDriver;
import io.jitbroker.bench.RevocationArrivals;
import io.jitbroker.chaos.check.FlowObservation;
import io.jitbroker.devstack.launcher.DevStackOptions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Steady flow load on the cluster, with the benchmark's driver: open loop at a fixed rate, many
 * workloads, every flow request → credential → task COMPLETED → revocation → introspection inactive,
 * through the {@link InstanceRouter}. Each flow records into the recorder current when it started, so
 * that a fault's window has its own figures.
 */
public final class ChaosLoad implements AutoCloseable {

    private static final int WORKLOADS = 200;

    private final FlowClient client;
    private final FlowLog log = new FlowLog();
    private final AtomicReference<FlowRecorder> current = new AtomicReference<>(new FlowRecorder());
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> flows = new ConcurrentLinkedQueue<>();
    private final AtomicLong flowNumber = new AtomicLong();
    private final double rate;
    private volatile boolean stopping;
    private Thread driver;

    public ChaosLoad(InstanceRouter router, RevocationArrivals revocations, double rate) {
        String runId = UUID.randomUUID().toString().substring(0, 8);
        this.client = new FlowClient(router, revocations, runId, log);
        this.rate = rate;
        client.publishBundle(DevStackOptions.DEV_SRE_WORKLOAD, FlowBenchmark.bundle(runId));
        for (int i = 0; i < WORKLOADS; i++) {
            client.token(FlowClient.workload(i));
        }
    }

    /** Starts offering {@code rate} flows per second until {@link #stop}. */
    public void start() {
        driver = new Thread(() -> {
            try {
                PacedDriver.run(rate, Long.MAX_VALUE, 0, Duration.ZERO, null, n -> {
                    if (stopping) {
                        throw new Stopped();
                    }
                    long number = flowNumber.getAndIncrement();
                    flows.add(client.run(number, FlowClient.workload((int) (number % WORKLOADS)), current.get()));
                });
            } catch (Stopped e) {
                // stop() was called: no more flows start.
            }
        }, "chaos-load");
        driver.setDaemon(true);
        driver.start();
    }

    /** From now on, new flows record into a fresh recorder; returns the one they recorded into until now. */
    public FlowRecorder nextWindow() {
        return current.getAndSet(new FlowRecorder());
    }

    /** Ends the paced driver's loop. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    /** Stops starting flows and waits (up to {@code timeout}) for the ones under way to end. */
    public void stop(Duration timeout) throws InterruptedException {
        stopping = true;
        driver.join(TimeUnit.SECONDS.toMillis(5));
        try {
            CompletableFuture.allOf(flows.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // Flows that did not end are the checker's to judge.
        }
    }

    public long started() {
        return flowNumber.get();
    }

    public List<FlowObservation> observations() {
        return log.observations();
    }

    @Override
    public void close() {
        client.close();
    }
}
