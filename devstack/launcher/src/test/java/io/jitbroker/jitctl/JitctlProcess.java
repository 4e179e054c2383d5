package io.jitbroker.jitctl;

import io.jitbroker.devstack.launcher.DevStackOptions;
import io.jitbroker.devstack.launcher.ModuleClasspath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * jitctl as a process of its own, as {@code ./jitctl} runs it: this JVM's java on the jitctl-cli module's
 * built classpath (its target/classes and target/runtime-classpath.txt, which the reactor built before
 * this module), its output in files a test reads.
 */
public final class JitctlProcess {

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private JitctlProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** @param environment added to this JVM's environment; the process runs in {@code dir} */
    static JitctlProcess start(Path dir, Map<String, String> environment, String... args) {
        try {
            List<String> command = new ArrayList<>(command());
            command.addAll(List.of(args));
            Path stdout = Files.createTempFile(dir, "jitctl-", ".out");
            Path stderr = Files.createTempFile(dir, "jitctl-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            builder.environment().putAll(environment);
            return new JitctlProcess(builder.start(), stdout, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command line that starts jitctl, before its arguments: what the last line of ./jitctl runs. */
    public static List<String> command() {
        String classpath = ModuleClasspath.of(DevStackOptions.locateRepositoryRoot().resolve("jitctl-cli"));
        String java = ProcessHandle.current().info().command().orElse("java");
        return List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", "-cp", classpath,
                Jitctl.class.getName());
    }

    /** @return the exit code; fails the test if jitctl has not exited by then */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("jitctl did not exit within " + timeout + "; stderr:\n" + stderr());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** SIGTERM, as a CI runner or Kubernetes stops a job. */
    void terminate() {
        process.destroy();
    }

    long pid() {
        return process.pid();
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
