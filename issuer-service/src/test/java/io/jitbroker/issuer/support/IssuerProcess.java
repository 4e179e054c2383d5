package io.jitbroker.issuer.support;

import io.jitbroker.devstack.FreePorts;
import io.jitbroker.issuer.IssuerServiceApplication;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Another issuer-service instance in its own JVM (from target/classes and the runtime classpath Maven
 * wrote), configured like an {@link IssuerHarness} it joins: same Kafka, database, keys and public URL,
 * its own HTTP port. Unlike an instance in the test's JVM it can be frozen as a whole, threads, heartbeats
 * and all ({@code SIGSTOP}), which is what a paused JVM or a host cut off from the network looks like to
 * the broker.
 */
public final class IssuerProcess implements AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final Path log;

    private IssuerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts an instance with the harness's configuration (system properties), logging to {@code log}. */
    public static IssuerProcess start(IssuerHarness joined, Path log) {
        int port = FreePorts.find();
        Map<String, Object> properties = new LinkedHashMap<>(joined.properties());
        properties.put("micronaut.server.port", port);
        // Outside JUnit, Micronaut does not deduce the test environment: the dev profile's fail-open checks.
        properties.put("micronaut.environments", "dev");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx384m");
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(classpath());
        command.add(IssuerServiceApplication.class.getName());
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new IssuerProcess(process, port, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a second issuer-service", e);
        }
    }

    private static String classpath() {
        try {
            return Path.of("target/classes").toAbsolutePath() + File.pathSeparator
                    + Files.readString(Path.of("target/runtime-classpath.txt")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("target/runtime-classpath.txt is written at compile time", e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** GET /health on this instance; a status of 0 when it does not answer within two seconds. */
    public int healthStatus() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the second issuer-service exited with " + process.exitValue() + "; see " + log);
        }
        try {
            return IssuerHarness.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(2)).build()).statusCode();
        } catch (UncheckedIOException e) {
            return 0;
        }
    }

    /** Freezes the whole JVM (SIGSTOP): no poll, no heartbeat, no answer. */
    public void freeze() {
        signal("STOP");
    }

    /** Lets a frozen JVM run again (SIGCONT). */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Thaws it if frozen, then stops it (SIGTERM: it leaves the consumer group), killing it if it hangs. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        thaw();
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
