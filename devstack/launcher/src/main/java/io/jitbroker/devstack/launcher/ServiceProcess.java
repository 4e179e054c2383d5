package io.jitbroker.devstack.launcher;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service running in its own JVM, started from its module's compiled classes and the runtime
 * classpath Maven wrote next to them (target/runtime-classpath.txt), exactly as it would run alone.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceProcess.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final ServiceSpec spec;
    private final Process process;
    private final Path logFile;
    /** HTTP/1.1: the JDK client's h2c upgrade on a plain connection could hang past the request's timeout. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceProcess(ServiceSpec spec, Process process, Path logFile) {
        this.spec = spec;
        this.process = process;
        this.logFile = logFile;
        // A JVM that exits without close() (a test run cut short) must not leave services behind;
        // the same graceful stop as close(), so it never races an orderly shutdown into a kill.
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, spec.name() + "-reaper"));
    }

    public static ServiceProcess start(ServiceSpec spec, Path repositoryRoot, Map<String, String> environment,
                                       Path logFile, List<String> jvmOptions) {
        return start(spec, repositoryRoot, environment, logFile, jvmOptions, List.of());
    }

    /**
     * The same, with {@code launchPrefix} before the java command, e.g. {@code ip netns exec NS} to run
     * it on a host of its own; the prefix must exec the command, so that the process is the JVM itself.
     */
    public static ServiceProcess start(ServiceSpec spec, Path repositoryRoot, Map<String, String> environment,
                                       Path logFile, List<String> jvmOptions, List<String> launchPrefix) {
        Path moduleDir = repositoryRoot.resolve(spec.module());
        String classpath = ModuleClasspath.of(moduleDir);
        try {
            List<String> command = new ArrayList<>(launchPrefix);
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add("-cp");
            command.add(classpath);
            command.add(spec.mainClass());
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(moduleDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            LOG.info("{} starting (pid {}), log {}", spec.name(), process.pid(), logFile);
            return new ServiceProcess(spec, process, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + spec.name(), e);
        }
    }

    /** Waits until GET /health answers 200; fails fast, with the log's tail, if the process dies. */
    public void awaitHealthy(String host, Duration timeout) {
        URI health = URI.create(spec.url(host) + "/health");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(spec.name() + " exited with code " + process.exitValue()
                        + " before it was healthy; last lines of " + logFile + ":\n" + tail(40));
            }
            if (answersHealthy(health)) {
                return;
            }
            try {
                process.waitFor(POLL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + spec.name(), e);
            }
        }
        throw new IllegalStateException(spec.name() + " was not healthy at " + health + " within " + timeout
                + "; last lines of " + logFile + ":\n" + tail(40));
    }

    private boolean answersHealthy(URI health) {
        try {
            // A hard bound besides the request's timeout: one stuck exchange must not stall the wait for ever.
            HttpResponse<Void> response = http.sendAsync(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).get(3, TimeUnit.SECONDS);
            return response.statusCode() == 200;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public ServiceSpec spec() {
        return spec;
    }

    public Process process() {
        return process;
    }

    public Path logFile() {
        return logFile;
    }

    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM so the service closes its consumers and commits; SIGKILL if it does not stop in time. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                LOG.warn("{} did not stop within 20 s; killing it", spec.name());
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
