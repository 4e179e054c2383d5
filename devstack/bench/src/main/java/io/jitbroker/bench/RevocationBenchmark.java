package io.jitbroker.bench;

import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.devstack.launcher.DevStackOptions;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.contracts.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./jit-broker bench revocation}: the real revocation-service (its own JVM) on the embedded
 * broker and registry, measured in one run: (b) the exactly-once floor on the same broker (first, so
 * that the broker is warm), (a) time to revoke on task completion under a sustained load, from the
 * service's first start, (c) TTL-expiry lateness with many active
 * grants, (d) the time to restore all state from the changelogs, (e) the lateness of a million grants
 * that expire within one minute.
 */
final class RevocationBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationBenchmark.class);
    private static final int PARTITIONS = 3;

    private RevocationBenchmark() {
    }

    /** Runs the benchmark, prints the report to {@code out}; returns whether every revocation arrived exactly once. */
    static boolean run(RevocationBenchOptions options, PrintStream out) throws Exception {
        RegistrySerdes.trustEventsPackage();
        Path serviceRoot = options.serviceRoot() != null ? options.serviceRoot() : DevStackOptions.locateRepositoryRoot();
        String loadBefore = loadAverage();
        Path workDir = Files.createTempDirectory("jit-bench-revocation-");
        boolean passed = false;
        RevocationReport report = null;
        try (Infrastructure infra = Infrastructure.start(Infrastructure.Options.forTests().withoutPostgres())) {
            infra.kafka().createTopics(Topics.newTopics(PARTITIONS, (short) 1));
            BenchClients clients = new BenchClients(infra.kafka().bootstrapServers(),
                    new RegistrySerdes(infra.registry().nativeApiUrl()));
            Deliveries revocations = new Deliveries();
            try (RevocationServiceUnderTest service = RevocationServiceUnderTest.create(serviceRoot, infra, workDir,
                         options.commitIntervalMs(), options.serviceJvmOptions());
                 OutputWatcher<Revocation> watcher = new OutputWatcher<Revocation>(Topics.REVOCATIONS.name(),
                         clients.avroConsumerConfig(), r -> r.getReason().name(),
                         r -> BenchClock.toMicros(r.getRevokedAt()), revocations);
                 Admin admin = infra.kafka().admin()) {
                String serviceBuild = "revocation-service built " + service.builtAt() + " UTC, copied from " + serviceRoot
                        + ", JVM " + String.join(" ", service.jvmOptions());
                LOG.info("Starting {}", serviceBuild);
                Duration firstStart = service.startAndAwaitHealthy();
                watcher.start();
                String runId = UUID.randomUUID().toString().substring(0, 8);
                RevocationRun run = new RevocationRun(options, clients, new BenchEvents(runId), service, revocations,
                        watcher);

                // The floor first: it also warms the broker and this JVM's clients, so (a) meets a cold
                // revoker and a warm broker, as a revoker that starts in production does.
                int taskEventBytes = clients.serializedSize(Topics.TASK_EVENTS.name(),
                        run.events().completion(CompletionRun.SERIES, 0, Instant.now()));
                FloorRun.Result floor = FloorRun.run(run, infra.kafka(), taskEventBytes, workDir.resolve("floor-state"));
                CompletionRun.Result completions = CompletionRun.run(run);
                ExpiryRun.Result expiry = ExpiryRun.run(run, admin);
                RestoreRun.Result restore = RestoreRun.run(run, admin);
                MassExpiryRun.Result massExpiry = options.massExpiry() > 0
                        ? MassExpiryRun.run(run, admin, options.active() > 0 && expiry.intakeComplete() ? expiry.intakeRate() : 0)
                        : null;
                // A revocation doubled late (e.g. replayed after the restore) shows up here.
                Thread.sleep(run.quietPeriod().toMillis());

                report = new RevocationReport(options, serviceBuild,
                        Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage(),
                        firstStart.toMillis() / 1000.0,
                        completions, revocations.outcome(CompletionRun.GROUP),
                        floor,
                        expiry, revocations.outcome(ExpiryRun.GROUP),
                        restore, revocations.outcome(RestoreRun.GROUP),
                        massExpiry, revocations.outcome(MassExpiryRun.GROUP),
                        revocations.unexpected(), revocations.unexpectedSample(),
                        revocations.p99ByWindow(CompletionRun.GROUP, RevocationReport.WINDOW), floor.p99ByWindow());
                if (!report.passed()) {
                    LOG.error("Some revocations were missing, doubled or wrong; the service's logs are in {}", workDir);
                }
                report.print(out);
                passed = report.passed();
            }
        } finally {
            if ((passed && !options.keepFiles()) || Directories.isEmpty(workDir)) {
                Directories.deleteRecursively(workDir);
            } else {
                LOG.warn("Kept the run's files (service logs, state) in {}", workDir);
            }
        }
        // Last, once everything has stopped and logged its goodbye: the one line a script reads.
        out.println(report == null ? "revocation FAILED (the run did not complete; see the log above)" : report.summaryLine());
        out.flush();
        return passed;
    }

    /** The 1, 5 and 15 minute load averages (Linux), else the JVM's 1 minute figure. */
    private static String loadAverage() {
        Path proc = Path.of("/proc/loadavg");
        try {
            if (Files.isReadable(proc)) {
                String[] fields = Files.readString(proc).trim().split("\\s+");
                return fields[0] + " " + fields[1] + " " + fields[2];
            }
        } catch (IOException e) {
            LOG.debug("cannot read {}", proc, e);
        }
        return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
