package io.jitbroker.bench;

import io.jitbroker.devstack.FreePorts;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.devstack.launcher.ServiceProcess;
import io.jitbroker.devstack.launcher.ServiceSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real revocation-service in its own JVM, started from its build output exactly as the dev stack
 * starts it ({@link ServiceProcess}), with its Kafka Streams state in a directory of this run. The
 * build is copied first: a rebuild in the repository during the run must not change the service
 * between its first start and its restart.
 */
final class RevocationServiceUnderTest implements AutoCloseable {

    /** The service's Kafka Streams application.id, hence its consumer group. */
    static final String APPLICATION_ID = "revocation-service.v1";
    static final String HOST = "127.0.0.1";
    private static final String MODULE = "revocation-service";
    private static final String MAIN_CLASS = "io.jitbroker.revocation.RevocationServiceApplication";
    private static final List<String> JVM_OPTIONS = List.of("-Xmx1g");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final String ACTIVE_GRANTS_METRIC = "jit_revocation_active_grants";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final ServiceSpec spec;
    private final Path serviceRoot;
    private final Map<String, String> environment;
    private final List<String> jvmOptions;
    private final Path stateDir;
    private final Path logDir;
    private ServiceProcess process;
    private int starts;

    private RevocationServiceUnderTest(ServiceSpec spec, Path serviceRoot, Map<String, String> environment,
                                       List<String> jvmOptions, Path stateDir, Path logDir) {
        this.spec = spec;
        this.serviceRoot = serviceRoot;
        this.environment = environment;
        this.jvmOptions = jvmOptions;
        this.stateDir = stateDir;
        this.logDir = logDir;
    }

    /**
     * @param serviceRoot a directory holding revocation-service/target/classes and its runtime-classpath.txt
     *                    (the repository root, or a copy of a known-good build)
     */
    static RevocationServiceUnderTest create(Path serviceRoot, Infrastructure infra, Path workDir, int commitIntervalMs,
                                             List<String> extraJvmOptions) {
        ServiceSpec spec = new ServiceSpec(MODULE, MODULE, MAIN_CLASS, FreePorts.find(), null);
        Path snapshot = snapshotBuild(serviceRoot, workDir.resolve("build"));
        Path stateDir = workDir.resolve("revocation-service-state");
        // Kafka, the registry and the dev profile, as the dev stack's services get them.
        Map<String, String> env = new LinkedHashMap<>(infra.serviceEnvironment());
        env.put("HTTP_HOST", HOST);
        env.put("HTTP_PORT", Integer.toString(spec.port()));
        env.put("KAFKA_STREAMS_STATE_DIR", stateDir.toString());
        env.put("REVOCATION_COMMIT_INTERVAL_MS", Integer.toString(commitIntervalMs));
        List<String> jvmOptions = new ArrayList<>(JVM_OPTIONS);
        jvmOptions.addAll(extraJvmOptions);
        return new RevocationServiceUnderTest(spec, snapshot, env, List.copyOf(jvmOptions), stateDir, workDir);
    }

    /** Copies the module's classes and runtime classpath (the jars it names stay where they are). */
    private static Path snapshotBuild(Path serviceRoot, Path snapshotRoot) {
        Path target = serviceRoot.resolve(MODULE).resolve("target");
        Path classes = target.resolve("classes");
        Path classpath = target.resolve("runtime-classpath.txt");
        if (!Files.isDirectory(classes) || !Files.isRegularFile(classpath)) {
            throw new IllegalStateException(MODULE + " is not built (missing " + classes + " or " + classpath
                    + "); run: mvn -B -DskipTests install");
        }
        Path copy = snapshotRoot.resolve(MODULE).resolve("target");
        try {
            Directories.copyRecursively(classes, copy.resolve("classes"));
            Files.copy(classpath, copy.resolve("runtime-classpath.txt"), StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the build of " + MODULE, e);
        }
        return snapshotRoot;
    }

    /** Starts the service and returns how long it took to answer /health with 200. */
    Duration startAndAwaitHealthy(Duration timeout) {
        starts++;
        long started = System.nanoTime();
        process = ServiceProcess.start(spec, serviceRoot, environment,
                logDir.resolve("revocation-service-" + starts + ".log"), jvmOptions);
        process.awaitHealthy(HOST, timeout);
        return Duration.ofNanos(System.nanoTime() - started);
    }

    Duration startAndAwaitHealthy() {
        return startAndAwaitHealthy(START_TIMEOUT);
    }

    /** Stops the service (SIGTERM: it closes its Streams app and commits) and returns how long that took. */
    Duration stop() {
        long started = System.nanoTime();
        if (process != null) {
            process.close();
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Deletes the local state, so the next start restores every store from its changelog. */
    void deleteState() {
        Directories.deleteRecursively(stateDir);
    }

    /**
     * The active grants the service holds in its state, as it reports them (its
     * {@code jit_revocation_active_grants} gauge on /prometheus: counted from the stores when a task
     * starts, then kept up to date), or -1 when it does not answer.
     */
    long activeGrants() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + spec.port() + "/prometheus"))
                .timeout(Duration.ofSeconds(10)).build();
        try {
            String metrics = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines()
                    .filter(line -> line.startsWith(ACTIVE_GRANTS_METRIC + " ") || line.startsWith(ACTIVE_GRANTS_METRIC + "{"))
                    .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    List<String> jvmOptions() {
        return jvmOptions;
    }

    boolean alive() {
        return process != null && process.process().isAlive();
    }

    /** The time of the newest class in the copied build, to say which build was measured. */
    String builtAt() {
        try (Stream<Path> files = Files.walk(serviceRoot.resolve(MODULE).resolve("target/classes"))) {
            FileTime newest = files.filter(Files::isRegularFile).map(RevocationServiceUnderTest::modified)
                    .max(FileTime::compareTo).orElse(FileTime.fromMillis(0));
            return newest.toInstant().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC).toLocalDateTime().toString();
        } catch (IOException e) {
            return "(unknown)";
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    Path logFile() {
        return process == null ? null : process.logFile();
    }

    String tail(int lines) {
        return process == null ? "" : process.tail(lines);
    }

    @Override
    public void close() {
        stop();
    }
}
