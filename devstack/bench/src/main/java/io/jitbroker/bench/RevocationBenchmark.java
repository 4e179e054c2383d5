package io.jitbroker.bench;

import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.devstack.launcher.DevStackOptions;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.schemas.RegistrySerdes;
import io.jitbroker.schemas.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./jit-broker bench revocation}: the real revocation-service (its own JVM) on the embedded
 * broker and registry, measured in one run: (a) time to revoke on task completion under a sustained
 * load, (b) the exactly-once floor on the same broker, (c) TTL-expiry lateness with many active
 * grants, (d) the time to restore all state from the changelogs.
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
        String serviceBuild = describeBuild(serviceRoot.resolve("revocation-service/target/classes"));
        String loadBefore = loadAverage();
        Path workDir = Files.createTempDirectory("jit-bench-revocation-");
        boolean passed = false;
        try (Infrastructure infra = Infrastructure.start(Infrastructure.Options.forTests().withoutPostgres())) {
            infra.kafka().createTopics(Topics.newTopics(PARTITIONS, (short) 1));
            BenchClients clients = new BenchClients(infra.kafka().bootstrapServers(),
                    new RegistrySerdes(infra.registry().nativeApiUrl()));
            Deliveries revocations = new Deliveries();
            try (RevocationServiceUnderTest service = RevocationServiceUnderTest.create(serviceRoot, infra, workDir,
                         options.commitIntervalMs());
                 OutputWatcher<Revocation> watcher = new OutputWatcher<Revocation>(Topics.REVOCATIONS.name(),
                         clients.avroConsumerConfig(), r -> r.getReason().name(), revocations);
                 Admin admin = infra.kafka().admin()) {
                LOG.info("Starting revocation-service from {}", serviceBuild);
                Duration firstStart = service.startAndAwaitHealthy();
                watcher.start();
                String runId = UUID.randomUUID().toString().substring(0, 8);
                RevocationRun run = new RevocationRun(options, clients, new BenchEvents(runId), service, revocations,
                        watcher);

                CompletionRun.Result completions = CompletionRun.run(run);
                FloorRun.Result floor = FloorRun.run(run, infra.kafka(),
                        completions.completionSends().averageValueBytes(), workDir.resolve("floor-state"));
                ExpiryRun.Result expiry = ExpiryRun.run(run, admin);
                RestoreRun.Result restore = RestoreRun.run(run);
                // A revocation doubled late (e.g. replayed after the restore) shows up here.
                Thread.sleep(run.quietPeriod().toMillis());

                RevocationReport report = new RevocationReport(options, serviceBuild,
                        Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage(),
                        firstStart.toMillis() / 1000.0,
                        completions, revocations.outcome(CompletionRun.GROUP),
                        floor,
                        expiry, revocations.outcome(ExpiryRun.GROUP),
                        restore, revocations.outcome(RestoreRun.GROUP),
                        revocations.unexpected(), revocations.unexpectedSample());
                if (!report.passed()) {
                    LOG.error("Some revocations were missing, doubled or wrong; the service's logs are in {}", workDir);
                }
                report.print(out);
                passed = report.passed();
                return passed;
            }
        } finally {
            if (passed) {
                Directories.deleteRecursively(workDir);
            } else {
                LOG.warn("Kept the run's files (service logs, state) in {}", workDir);
            }
        }
    }

    /** Which build is measured: its directory and the time of its newest class. */
    private static String describeBuild(Path classes) {
        try (Stream<Path> files = Files.walk(classes)) {
            Instant newest = files.filter(Files::isRegularFile).map(RevocationBenchmark::modified)
                    .max(Instant::compareTo).orElse(Instant.EPOCH);
            return "revocation-service from " + classes + " (built "
                    + newest.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC).toLocalDateTime() + " UTC)";
        } catch (IOException e) {
            return "revocation-service from " + classes;
        }
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
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
