package io.jitbroker.devstack.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A tool the tests run (promtool, podman, node, a CI example): its exit code and what it printed, stdout and stderr together. */
public record ExternalCommand(int exitCode, String output) {

    /**
     * Runs {@code command} in {@code dir} and waits for it, at most {@code timeout}.
     *
     * @param installHint how to get the tool, for the message when it cannot be started
     */
    public static ExternalCommand run(Path dir, Duration timeout, String installHint, List<String> command) {
        return run(dir, timeout, installHint, command, Map.of());
    }

    /** As above, with {@code environment} added to this JVM's. */
    public static ExternalCommand run(Path dir, Duration timeout, String installHint, List<String> command,
                                      Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeout);
            }
            return new ExternalCommand(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(command.get(0) + " is required (" + installHint + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }
}
