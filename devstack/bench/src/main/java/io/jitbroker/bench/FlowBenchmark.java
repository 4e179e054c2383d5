package io.jitbroker.bench;

import io.jitbroker.devstack.launcher.DevStackOptions;
import io.jitbroker.kafka.RegistrySerdes;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./jit-broker bench flow}: the whole system as the dev stack runs it, driven by many
 * workloads at a fixed offered rate (open loop: a slow system does not slow the offered load). One
 * flow: request, credential picked up, task COMPLETED, revocation read from jit.revocations.v1 and
 * introspection inactive. In order: a burst of workloads at once on the fresh stack, flows one at a
 * time, the reported rate with CPU per flow of every process, then rising rates for the highest one
 * the system sustains (request → credential p99 under 1 s, no errors, nothing left behind).
 */
public final class FlowBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(FlowBenchmark.class);
    static final String ADMIN = DevStackOptions.DEV_SRE_WORKLOAD;
    private static final double SUSTAINED_P99_MS = 1000;
    /** Longer than a flow can take: issue (30 s), revocation (30 s) and inactive (5 s) time out on their own. */
    private static final long DRAIN_SECONDS = 90;
    private static final AtomicLong FAILURES_LOGGED = new AtomicLong();

    private FlowBenchmark() {
    }

    static boolean run(FlowBenchOptions options, PrintStream out) throws Exception {
        RegistrySerdes.trustEventsPackage();
        Path root = DevStackOptions.locateRepositoryRoot();
        Path workDir = root.resolve(".devstack-bench").resolve("flow-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        String runId = UUID.randomUUID().toString().substring(0, 8);
        boolean passed = false;
        try (FlowStack stack = FlowStack.start(root, workDir)) {
            BenchClients clients = new BenchClients(stack.kafkaBootstrap(), new RegistrySerdes(stack.registryUrl()));
            try (RevocationArrivals revocations = new RevocationArrivals(clients.avroConsumerConfig()).start();
                 FlowClient client = new FlowClient(stack, revocations, runId)) {
                client.publishBundle(ADMIN, bundle(runId));
                LOG.info("benchmark bundle published; minting {} workload tokens", options.workloads());
                for (int i = 0; i < options.workloads(); i++) {
                    client.token(FlowClient.workload(i));
                }
                AtomicLong flowNumber = new AtomicLong();

                FlowRecorder burst = burst(client, options, flowNumber);
                out.println("burst of " + options.burst() + " at once on the fresh stack: " + burst.describe());
                if (options.warmupRate() > 0) {
                    // Each JVM compiles its hot paths in its first minute of load; what follows measures a warm system.
                    Phase warmup = openLoop(client, stack, options, flowNumber, options.warmupRate(), options.warmupSeconds());
                    out.println(String.format(Locale.ROOT, "warm-up, %.0f flows/s for %d s (achieved %.0f/s): %s",
                            options.warmupRate(), options.warmupSeconds(), warmup.achievedRate, warmup.recorder.describe()));
                }
                FlowRecorder idle = idle(client, options, flowNumber);
                out.println("one flow at a time (" + options.idleFlows() + "): " + idle.describe());

                // Rising rates first (on a stack that has not been overloaded yet), the reported rate last.
                double maxSustained = 0;
                Phase sustainedStep = null;
                for (double rate : options.searchRates()) {
                    Phase step = openLoop(client, stack, options, flowNumber, rate, options.stepSeconds());
                    boolean sustained = sustained(step, rate);
                    out.println(String.format(Locale.ROOT, "%.0f flows/s offered (achieved %.0f/s): %s -> %s", rate,
                            step.achievedRate, step.recorder.describe(), sustained ? "sustained" : "NOT sustained"));
                    if (!sustained) {
                        break;
                    }
                    maxSustained = rate;
                    sustainedStep = step;
                }
                Phase atRate = openLoop(client, stack, options, flowNumber, options.rate(), options.seconds());
                out.println(String.format(Locale.ROOT, "%.0f flows/s offered for %d s (achieved %.0f/s): %s",
                        options.rate(), options.seconds(), atRate.achievedRate, atRate.recorder.describe()));
                // CPU per flow where the system keeps up (where it does not, part of the work is never done).
                Phase measured = sustainedStep != null && !sustained(atRate, options.rate()) ? sustainedStep : atRate;
                double cpuPerFlow = measured.cpuPerFlow().values().stream().mapToDouble(Double::doubleValue).sum();
                out.println(String.format(Locale.ROOT, "CPU per flow at %.0f flows/s (ms), by process:", measured.rate));
                measured.cpuPerFlow().forEach((role, ms) -> out.println(String.format(Locale.ROOT, "    %-22s %7.2f", role, ms)));
                out.println(String.format(Locale.ROOT, "    %-22s %7.2f", "total", cpuPerFlow));

                long lost = burst.lost.get() + idle.lost.get() + atRate.recorder.lost.get();
                long doubled = revocations.doubled();
                long burst5xx = burst.serverErrors.get();
                long errors = burst.errors() + idle.errors() + atRate.recorder.errors();
                passed = lost == 0 && doubled == 0 && burst5xx == 0 && errors == 0;
                out.println(String.format(Locale.ROOT,
                        "flow max_per_s=%.0f cred_p50_ms=%.1f cred_p99_ms=%.1f revoke_p99_ms=%.1f idle_cred_p50_ms=%.1f "
                                + "cpu_ms_per_flow=%.2f burst_5xx=%d lost=%d doubled=%d errors=%d%s",
                        maxSustained, LatencySummary.of(atRate.recorder.credential).p50Ms(),
                        LatencySummary.of(atRate.recorder.credential).p99Ms(),
                        LatencySummary.of(atRate.recorder.revoked).p99Ms(), LatencySummary.of(idle.credential).p50Ms(),
                        cpuPerFlow, burst5xx, lost, doubled, errors, passed ? "" : " FAILED"));
            }
        } finally {
            if (passed && !options.keepFiles()) {
                Directories.deleteRecursively(workDir);
            } else {
                LOG.info("the stack's logs are in {}", workDir);
            }
        }
        return passed;
    }

    /** Every workload of the benchmark may read the inventory API in staging, for up to 10 minutes. */
    public static String bundle(String runId) {
        return """
                version: "bench-flow-%s"
                maxTtlSeconds: 3600
                environments: [dev, staging, prod]
                rules:
                  - id: load-inventory-read
                    description: benchmark workloads read the inventory API in staging
                    workload: "spiffe://dev.local/load/*"
                    environments: [staging]
                    resources:
                      - type: http
                        ids: ["inventory-api"]
                        actions: [read]
                    maxTtlSeconds: 600
                """.formatted(runId);
    }

    private static FlowRecorder burst(FlowClient client, FlowBenchOptions options, AtomicLong flowNumber) throws Exception {
        FlowRecorder recorder = new FlowRecorder();
        List<CompletableFuture<Void>> flows = new ArrayList<>();
        for (int i = 0; i < options.burst(); i++) {
            flows.add(client.run(flowNumber.getAndIncrement(), FlowClient.workload(i % options.workloads()), recorder));
        }
        drain(flows, recorder);
        return recorder;
    }

    private static FlowRecorder idle(FlowClient client, FlowBenchOptions options, AtomicLong flowNumber) throws Exception {
        FlowRecorder recorder = new FlowRecorder();
        for (int i = 0; i < options.idleFlows(); i++) {
            CompletableFuture<Void> flow = client.run(flowNumber.getAndIncrement(),
                    FlowClient.workload(i % options.workloads()), recorder);
            drain(List.of(flow), recorder);
        }
        return recorder;
    }

    /** What one offered rate gave, and the CPU each process spent per flow offered (the window ends after the drain). */
    record Phase(FlowRecorder recorder, double rate, double achievedRate, Map<String, Double> cpuPerFlow) {
    }

    /** Starts flows at a fixed rate for {@code seconds}, whatever the system does, then waits for them to end. */
    private static Phase openLoop(FlowClient client, FlowStack stack, FlowBenchOptions options, AtomicLong flowNumber,
                                  double rate, int seconds) throws Exception {
        FlowRecorder recorder = new FlowRecorder();
        Map<String, Double> cpuBefore = cpu(stack);
        long total = Math.round(rate * seconds);
        double intervalNanos = 1e9 / rate;
        List<CompletableFuture<Void>> flows = new ArrayList<>((int) total);
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + (long) (i * intervalNanos);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long n = flowNumber.getAndIncrement();
            flows.add(client.run(n, FlowClient.workload((int) (n % options.workloads())), recorder));
        }
        double achieved = total / ((System.nanoTime() - start) / 1e9);
        drain(flows, recorder);
        Map<String, Double> perFlow = new LinkedHashMap<>();
        ProcessCpu.since(cpuBefore, cpu(stack)).forEach((role, ms) -> perFlow.put(role, ms / Math.max(1, total)));
        return new Phase(recorder, rate, achieved, perFlow);
    }

    /** Waits for the flows to end; one still running after the drain time counts as lost. */
    private static void drain(List<CompletableFuture<Void>> flows, FlowRecorder recorder) throws InterruptedException {
        try {
            CompletableFuture.allOf(flows.toArray(CompletableFuture[]::new)).get(DRAIN_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            long stuck = flows.stream().filter(flow -> !flow.isDone()).count();
            LOG.warn("{} flows did not end within {} s of the last start", stuck, DRAIN_SECONDS);
            recorder.lost.addAndGet(stuck);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a flow failed outside its own error handling", e);
        }
    }

    /** The system kept up: the driver offered the rate, every flow ended well, credentials came within 1 s. */
    private static boolean sustained(Phase step, double rate) {
        FlowRecorder r = step.recorder;
        return step.achievedRate >= rate * 0.95 && r.errors() == 0 && r.lost.get() == 0
                && LatencySummary.of(r.credential).p99Ms() < SUSTAINED_P99_MS;
    }

    private static Map<String, Double> cpu(FlowStack stack) {
        Map<String, Double> cpu = new LinkedHashMap<>(stack.cpuByRole());
        ProcessCpu.cpuMillis(ProcessHandle.current().pid()).ifPresent(ms -> cpu.put("load driver (this JVM)", ms));
        return cpu;
    }

    /** Logs the first failures of flows, so that a failed run says why. */
    static void noteFailure(Throwable cause) {
        if (FAILURES_LOGGED.incrementAndGet() <= 10) {
            LOG.warn("flow failed: {}", cause.toString());
        }
    }
}
