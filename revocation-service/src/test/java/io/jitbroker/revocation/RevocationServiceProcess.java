package io.jitbroker.revocation;

import static org.awaitility.Awaitility.await;

import io.jitbroker.devstack.FreePorts;
import io.jitbroker.devstack.Infrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revocation service in a JVM of its own, as it runs in production: its main class, this
 * module's classes and the test JVM's classpath, configured by environment variables only. It can
 * be killed like a crashed pod: {@link #kill()} is SIGKILL, no shutdown hook, no commit, no leave.
 */
final class RevocationServiceProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationServiceProcess.class);
    private static final String MAIN_CLASS = "io.jitbroker.revocation.RevocationServiceApplication";
    /** The broker's minimum session timeout. */
    static final Duration SHORT_SESSION_TIMEOUT = Duration.ofSeconds(6);

    private final String name;
    private final Process process;
    private final Path logFile;
    private final URI baseUri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private RevocationServiceProcess(String name, Process process, Path logFile, URI baseUri) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.baseUri = baseUri;
    }

    /**
     * Starts an instance on a free HTTP port with its own state dir, writing its log next to it.
     *
     * @param stateDir the Kafka Streams state dir; reuse it to restart on the same state
     */
    static RevocationServiceProcess start(String name, Infrastructure infra, Path stateDir, Path logDir) {
        return start(name, infra, stateDir, logDir, SHORT_SESSION_TIMEOUT);
    }

    /**
     * @param sessionTimeout how long the group waits for it after it stops heart-beating (a kill)
     */
    static RevocationServiceProcess start(String name, Infrastructure infra, Path stateDir, Path logDir,
                                          Duration sessionTimeout) {
        int port = FreePorts.find();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1"); // starts faster; the load here is small
        // A killed member holds its partitions until its session times out: the tests keep that
        // short (the broker's minimum) so the takeover is measured in seconds, not the default 45 s.
        command.add("-Dkafka.streams.revocation.session.timeout.ms=" + sessionTimeout.toMillis());
        command.add("-Dkafka.streams.revocation.heartbeat.interval.ms=1000");
        // The service's own logging configuration, not this module's test one.
        serviceLogbackConfig().ifPresent(config -> command.add("-Dlogback.configurationFile=" + config));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MAIN_CLASS);
        try {
            Files.createDirectories(logDir);
            Path logFile = logDir.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(infra.serviceEnvironment());
            builder.environment().putAll(Map.of(
                    "HTTP_HOST", "127.0.0.1",
                    "HTTP_PORT", Integer.toString(port),
                    "KAFKA_STREAMS_STATE_DIR", stateDir.toString()));
            Process process = builder.start();
            LOG.info("revocation-service {} starting (pid {}) on port {}, state {}, log {}", name, process.pid(), port,
                    stateDir, logFile);
            return new RevocationServiceProcess(name, process, logFile, URI.create("http://127.0.0.1:" + port));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start revocation-service " + name, e);
        }
    }

    /** Waits until its Kafka Streams app is RUNNING (state restored, partitions assigned): /health is UP only then. */
    RevocationServiceProcess awaitRunning(Duration deadline) {
        await().atMost(deadline).pollInterval(Duration.ofMillis(200))
                .until(() -> health().map(body -> body.contains("\"UP\"")).orElse(false));
        return this;
    }

    /** The revocations this instance has emitted since it started, by its /prometheus counters. */
    double revocationsEmitted() {
        return get("/prometheus").map(RevocationServiceProcess::sumOfRevocationCounters).orElse(0.0);
    }

    /** SIGKILL, as a crash or an OOM kill: no shutdown, no commit, no leaving the group. */
    void kill() {
        LOG.info("killing revocation-service {} (pid {}) with SIGKILL", name, process.pid());
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " did not die within 10 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + name, e);
        }
    }

    String name() {
        return name;
    }

    /** SIGTERM, so the service closes Kafka Streams; SIGKILL if it takes too long. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                LOG.warn("revocation-service {} did not stop within 20 s; killing it", name);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "revocation-service " + name + " (pid " + process.pid() + ", log " + logFile + ")";
    }

    private Optional<String> health() {
        requireAlive();
        return get("/health");
    }

    private Optional<String> get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(baseUri.resolve(path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return Optional.of(response.body());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; last lines of "
                    + logFile + ":\n" + tail(40));
        }
    }

    private String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static double sumOfRevocationCounters(String prometheus) {
        return prometheus.lines()
                .filter(line -> line.startsWith("jit_revocations_total{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static Optional<String> serviceLogbackConfig() {
        URL config = RevocationServiceProcess.class.getClassLoader().getResource("logback.xml");
        return Optional.ofNullable(config).map(URL::toString);
    }
}
