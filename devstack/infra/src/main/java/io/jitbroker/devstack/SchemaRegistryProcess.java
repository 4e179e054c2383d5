package io.jitbroker.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A real Apicurio Registry running as a child process (built by devstack/registry). */
public final class SchemaRegistryProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryProcess.class);

    static final String APP_PROPERTY = "jit.registry.app";
    static final String APP_ENV = "JIT_REGISTRY_APP";
    private static final Path APP_IN_REPO = Path.of("devstack", "registry", "target", "quarkus-app");
    private static final String RUN_JAR = "quarkus-run.jar";

    private static final Duration START_DEADLINE = Duration.ofSeconds(90);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final int LOG_TAIL_LINES = 40;
    /** The only variables the child inherits: Apicurio reads generic names (LOG_LEVEL, KAFKA_BOOTSTRAP_SERVERS, ...). */
    private static final List<String> INHERITED_ENV = List.of("PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "TZ");

    private final Process process;
    private final String host;
    private final int port;
    private final Path logFile;
    private final Thread shutdownHook;

    private SchemaRegistryProcess(Process process, String host, int port, Path logFile) {
        this.process = process;
        this.host = host;
        this.port = port;
        this.logFile = logFile;
        // A test JVM that exits without close() must not leave a registry behind holding the port.
        this.shutdownHook = new Thread(process::destroyForcibly, "schema-registry-reaper");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Finds the built quarkus-app dir: system property jit.registry.app, else env JIT_REGISTRY_APP, else
     * walks up from the working directory looking for devstack/registry/target/quarkus-app/quarkus-run.jar.
     */
    public static Path locateApp() {
        String configured = System.getProperty(APP_PROPERTY);
        String source = "-D" + APP_PROPERTY;
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(APP_ENV);
            source = APP_ENV;
        }
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured).toAbsolutePath().normalize();
            if (!Files.isRegularFile(dir.resolve(RUN_JAR))) {
                throw new IllegalStateException(source + "=" + configured + " is not a Quarkus app directory (no "
                        + RUN_JAR + " in it); " + buildHint());
            }
            return dir;
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            Path app = dir.resolve(APP_IN_REPO);
            if (Files.isRegularFile(app.resolve(RUN_JAR))) {
                return app;
            }
        }
        throw new IllegalStateException("Apicurio Registry is not built: no " + APP_IN_REPO.resolve(RUN_JAR)
                + " in " + cwd + " or any directory above it; " + buildHint());
    }

    private static String buildHint() {
        return "build it from the repository root with `mvn -pl devstack/registry package`, or set -D"
                + APP_PROPERTY + " (or " + APP_ENV + ") to its target/quarkus-app directory";
    }

    /**
     * Starts the registry with stdout and stderr going to {@code logFile}, and waits until its API answers.
     *
     * @param port 0 for a free one
     */
    public static SchemaRegistryProcess start(Path quarkusAppDir, String host, int port, Path logFile) {
        Path runJar = quarkusAppDir.resolve(RUN_JAR);
        if (!Files.isRegularFile(runJar)) {
            throw new IllegalStateException("no " + RUN_JAR + " in " + quarkusAppDir + "; " + buildHint());
        }
        if (port == 0) {
            port = FreePorts.find();
        } else {
            // Otherwise the readiness poll could be answered by whatever already holds the port.
            FreePorts.requireFree(host, port, "schema registry");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java,
                "-Xmx256m", // a few schemas in memory: leave RAM to the test JVMs beside it
                "-Dquarkus.http.host=" + host,
                "-Dquarkus.http.port=" + port,
                "-jar", runJar.toString());

        long started = System.nanoTime();
        Process process;
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(quarkusAppDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
            builder.environment().keySet().retainAll(INHERITED_ENV);
            // In-memory H2 waits 1 s for a table lock by default: several services registering their
            // schemas at once on a loaded machine then get "Timeout trying to lock table".
            builder.environment().put("REGISTRY_DATASOURCE_URL", "jdbc:h2:mem:registry_db;LOCK_TIMEOUT=30000");
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the schema registry: " + command, e);
        }

        SchemaRegistryProcess registry = new SchemaRegistryProcess(process, host, port, logFile);
        try {
            registry.awaitReady();
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        LOG.info("Schema registry (Apicurio) ready at {} in {} ms, pid {}, log {}", registry.nativeApiUrl(),
                (System.nanoTime() - started) / 1_000_000, process.pid(), logFile);
        return registry;
    }

    private void awaitReady() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(nativeApiUrl() + "/system/info"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw failure("exited with code " + process.exitValue() + " before it was ready");
            }
            try {
                if (client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // expected while it starts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("was interrupted while waiting for it");
            }
            if (System.nanoTime() > deadline) {
                throw failure("did not answer " + probe.uri() + " within " + START_DEADLINE.toSeconds() + " s");
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("was interrupted while waiting for it");
            }
        }
    }

    private IllegalStateException failure(String what) {
        return new IllegalStateException("Schema registry on " + host + ":" + port + " " + what
                + "; last lines of " + logFile + ":\n" + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    public int port() {
        return port;
    }

    /** Apicurio's own API, the one its serdes talk to. */
    public String nativeApiUrl() {
        return baseUrl() + "/apis/registry/v2";
    }

    /** The Confluent-compatible API, for Confluent clients. */
    public String confluentApiUrl() {
        return baseUrl() + "/apis/ccompat/v7";
    }

    private String baseUrl() {
        // A wildcard bind address is not something a client can connect to: use loopback.
        String urlHost = switch (host) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "[::]" -> "[::1]";
            default -> host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        };
        return "http://" + urlHost + ":" + port;
    }

    /** Stops the registry: a normal termination first, then a forced one after 10 s. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shutdownInProgress) {
            // the hook is running or about to: it kills the process anyway
        }
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Schema registry (pid {}) still running {} s after SIGTERM; killing it", process.pid(),
                        STOP_GRACE.toSeconds());
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        LOG.info("Schema registry on port {} stopped", port);
    }

    @Override
    public String toString() {
        return "SchemaRegistryProcess[" + baseUrl() + ", pid " + process.pid() + "]";
    }
}
