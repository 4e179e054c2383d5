package io.jitbroker.devstack.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A tool the tests run (promtool, podman, node): its exit code and what it printed, stdout and stderr together. */
record ExternalCommand(int exitCode, String output) {

    /**
     * Runs {@code command} in {@code dir} and waits for it, at most {@code timeout}.
     *
     * @param installHint how to get the tool, for the message when it cannot be started
     */
    static ExternalCommand run(Path dir, Duration timeout, String installHint, List<String> command) {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
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
