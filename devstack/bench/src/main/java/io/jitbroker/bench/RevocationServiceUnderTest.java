package io.jitbroker.bench;

import io.jitbroker.devstack.FreePorts;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.devstack.launcher.ServiceProcess;
import io.jitbroker.devstack.launcher.ServiceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real revocation-service in its own JVM, started from its build output exactly as the dev stack
 * starts it ({@link ServiceProcess}), with its Kafka Streams state in a directory of this run.
 */
final class RevocationServiceUnderTest implements AutoCloseable {

    /** The service's Kafka Streams application.id, hence its consumer group. */
    static final String APPLICATION_ID = "revocation-service.v1";
    static final String HOST = "127.0.0.1";
    private static final String MAIN_CLASS = "io.jitbroker.revocation.RevocationServiceApplication";
    private static final List<String> JVM_OPTIONS = List.of("-Xmx1g");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final ServiceSpec spec;
    private final Path serviceRoot;
    private final Map<String, String> environment;
    private final Path stateDir;
    private final Path logDir;
    private ServiceProcess process;
    private int starts;

    private RevocationServiceUnderTest(ServiceSpec spec, Path serviceRoot, Map<String, String> environment,
                                       Path stateDir, Path logDir) {
        this.spec = spec;
        this.serviceRoot = serviceRoot;
        this.environment = environment;
        this.stateDir = stateDir;
        this.logDir = logDir;
    }

    /**
     * @param serviceRoot a directory holding revocation-service/target/classes and its runtime-classpath.txt
     *                    (the repository root, or a copy of a known-good build)
     */
    static RevocationServiceUnderTest create(Path serviceRoot, Infrastructure infra, Path workDir, int commitIntervalMs) {
        ServiceSpec spec = new ServiceSpec("revocation-service", "revocation-service", MAIN_CLASS, FreePorts.find(), null);
        Path stateDir = workDir.resolve("revocation-service-state");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", infra.kafka().bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", infra.registry().nativeApiUrl());
        env.put("HTTP_HOST", HOST);
        env.put("HTTP_PORT", Integer.toString(spec.port()));
        env.put("KAFKA_STREAMS_STATE_DIR", stateDir.toString());
        env.put("REVOCATION_COMMIT_INTERVAL_MS", Integer.toString(commitIntervalMs));
        return new RevocationServiceUnderTest(spec, serviceRoot, env, stateDir, workDir);
    }

    /** Starts the service and returns how long it took to answer /health with 200. */
    Duration startAndAwaitHealthy(Duration timeout) {
        starts++;
        long started = System.nanoTime();
        process = ServiceProcess.start(spec, serviceRoot, environment,
                logDir.resolve("revocation-service-" + starts + ".log"), JVM_OPTIONS);
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

    boolean alive() {
        return process != null && process.process().isAlive();
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
