package io.jitbroker.chaos;

import io.jitbroker.bench.FlowRecorder;
import io.jitbroker.bench.RevocationArrivals;
import io.jitbroker.chaos.check.CheckResult;
import io.jitbroker.chaos.check.Checker;
import io.jitbroker.chaos.cluster.Cluster;
import io.jitbroker.chaos.fault.Fault;
import io.jitbroker.chaos.fault.Faults;
import io.jitbroker.chaos.load.ChaosLoad;
import io.jitbroker.chaos.load.InstanceRouter;
import io.jitbroker.chaos.net.HostNetwork;
import io.jitbroker.devstack.KafkaSecurity;
import io.jitbroker.devstack.launcher.DevStackOptions;
import io.jitbroker.kafka.RegistrySerdes;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./jit-broker chaos}: starts the cluster ({@link Cluster}), drives steady flow load through
 * it, injects one fault at a time (each followed by its recovery), then lets an independent checker
 * judge what happened. The last line is the summary, with FAILED at its end when a promise was broken.
 */
public final class Chaos {

    private static final Logger LOG = LoggerFactory.getLogger(Chaos.class);
    /** Steady load before the first fault, and after each recovery before the next fault. */
    private static final Duration SETTLE = Duration.ofSeconds(15);
    /** Every JVM compiles its hot paths in its first minute of load; the faults hit a warm system. */
    private static final Duration WARMUP = Duration.ofSeconds(60);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(3);
    /** How long flows under way at the end may take to finish. */
    private static final Duration DRAIN = Duration.ofSeconds(90);

    private Chaos() {
    }

    public static void main(String[] args) {
        ChaosOptions options;
        try {
            options = ChaosOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (options.clean()) {
            Cluster.removeLeftovers();
            List<String> left = HostNetwork.leftovers();
            System.out.println(left.isEmpty() ? "nothing left of earlier chaos runs" : "could not remove " + left);
            System.exit(left.isEmpty() ? 0 : 1);
        }
        boolean passed;
        try {
            passed = run(options, System.out).passed();
        } catch (Exception | Error e) {
            LOG.error("chaos run failed", e);
            System.out.println("chaos failed: " + e.getMessage() + " FAILED");
            passed = false;
        }
        System.exit(passed ? 0 : 1);
    }

    static List<Fault> schedule(String name, Faults faults) {
        List<Fault> shortSchedule = List.of(
                faults.killPartitionLeader(),
                faults.killInstance("revocation-service"),
                faults.pause("policy-service"),
                faults.partitionInstance("request-service"),
                faults.restartPostgres(),
                faults.cutIssuerFromKafka());
        if (name.equals("short")) {
            return shortSchedule;
        }
        return List.of(
                faults.killPartitionLeader(),
                faults.killController(),
                faults.killInstance("request-service"),
                faults.killInstance("policy-service"),
                faults.killInstance("issuer-service"),
                faults.killInstance("revocation-service"),
                faults.pause("policy-service"),
                faults.pause("revocation-service"),
                faults.partitionInstance("issuer-service"),
                faults.partitionBroker(),
                faults.restartPostgres(),
                faults.cutIssuerFromKafka());
    }

    static ChaosResult run(ChaosOptions options, PrintStream out) throws Exception {
        RegistrySerdes.trustEventsPackage();
        Path root = DevStackOptions.locateRepositoryRoot();
        Path workDir = root.resolve(".devstack-chaos").resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        long startedAt = System.nanoTime();
        // Interrupted while the cluster starts, nothing holds it yet: remove whatever this run made so far.
        Thread startupCleanup = new Thread(Cluster::removeLeftovers, "chaos-startup-cleanup");
        Runtime.getRuntime().addShutdownHook(startupCleanup);
        Cluster cluster = Cluster.start(root, workDir);
        Thread cleanup = new Thread(cluster::close, "chaos-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        Runtime.getRuntime().removeShutdownHook(startupCleanup);
        try (InstanceRouter router = new InstanceRouter(cluster);
             RevocationArrivals revocations = new RevocationArrivals(consumerConfig(cluster)).start();
             ChaosLoad load = new ChaosLoad(router, revocations, options.rate())) {
            LOG.info("cluster up in {} s; load at {} flows/s", String.format("%.0f", (System.nanoTime() - startedAt) / 1e9),
                    options.rate());
            load.start();
            Thread.sleep(WARMUP.toMillis());
            FlowRecorder warmup = load.nextWindow();
            Thread.sleep(SETTLE.toMillis());
            FlowRecorder steady = load.nextWindow();

            Recovery recovery = new Recovery(cluster, router);
            List<FaultReport> reports = new ArrayList<>();
            for (Fault fault : schedule(options.schedule(), new Faults(cluster))) {
                LOG.info("fault: {}", fault.description());
                String target = fault.inject();
                double recovered = recovery.await(RECOVERY_TIMEOUT);
                if (recovered < 0) {
                    LOG.error("not recovered within {}: {}", RECOVERY_TIMEOUT, recovery.missing());
                } else {
                    LOG.info("{}: {} repaired; the cluster was whole again {} s later", fault.description(), target,
                            String.format(Locale.ROOT, "%.1f", recovered));
                }
                Thread.sleep(SETTLE.toMillis());
                FaultReport report = new FaultReport(fault.description(), target, recovered, load.nextWindow());
                reports.add(report);
            }
            long remaining = Duration.ofMinutes(options.minutes()).toNanos() - (System.nanoTime() - startedAt);
            if (remaining > 0) {
                Thread.sleep(remaining / 1_000_000);
            }
            load.stop(DRAIN);
            FlowRecorder tail = load.nextWindow();
            // Each window's flows have ended (or timed out) by now: their figures are whole.
            out.println("warm-up (" + WARMUP.toSeconds() + " s): " + warmup.describe());
            out.println("steady load before the faults: " + steady.describe());
            reports.forEach(report -> out.println(report.describe()));
            out.println("load after the faults: " + tail.describe());
            Checker checker = new Checker(cluster.bootstrapServers(), cluster.registryUrl(),
                    cluster.instances("request-service").stream().map(i -> URI.create(i.url())).toList(),
                    () -> cluster.identityProvider().mint(DevStackOptions.DEV_SRE_WORKLOAD),
                    cluster.clientConfig(KafkaSecurity.ADMIN), Checker.DEFAULT_SETTLE_TIMEOUT);
            CheckResult verdict = checker.check(load.observations(), Set.of());
            verdict.violations().forEach(line -> out.println("violation: " + line));
            ChaosResult result = new ChaosResult(verdict, reports);
            summarize(out, load, result);
            return result;
        } finally {
            cluster.close();
            Runtime.getRuntime().removeShutdownHook(cleanup);
            LOG.info("the run's logs are in {}", workDir.resolve("logs"));
        }
    }

    private static void summarize(PrintStream out, ChaosLoad load, ChaosResult result) {
        Histogram duringFaults = new Histogram(3);
        result.faults().forEach(report -> duringFaults.add(report.flows().revokedMicros()));
        CheckResult verdict = result.verdict();
        out.println(String.format(Locale.ROOT, "checker: %d flows, %d accepted, %d lost, %d doubled, stale active max %d ms, "
                        + "%d unexpected dead letters, %d ledger mismatches", verdict.flows(), verdict.accepted(), verdict.lost(),
                verdict.doubled(), verdict.staleActiveMaxMs(), verdict.unexpectedDeadLetters(), verdict.ledgerMismatches()));
        out.println(String.format(Locale.ROOT,
                "chaos faults=%d flows=%d lost=%d doubled=%d stale_active_max_ms=%d revoke_p99_during_faults_ms=%.0f "
                        + "recovery_max_s=%.1f%s",
                result.faults().size(), load.started(), verdict.lost(), verdict.doubled(), verdict.staleActiveMaxMs(),
                duringFaults.getValueAtPercentile(99) / 1000.0, result.allRecovered() ? result.recoveryMaxSeconds() : -1,
                result.passed() ? "" : " FAILED"));
    }

    private static Map<String, Object> consumerConfig(Cluster cluster) {
        Map<String, Object> config = new HashMap<>(new RegistrySerdes(cluster.registryUrl()).consumerConfig());
        config.putAll(cluster.clientConfig(KafkaSecurity.ADMIN));
        return config;
    }
}
