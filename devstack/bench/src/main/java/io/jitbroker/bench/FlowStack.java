package io.jitbroker.bench;

import io.jitbroker.devstack.FreePorts;
import io.jitbroker.devstack.launcher.DevStack;
import io.jitbroker.devstack.launcher.ModuleClasspath;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system as {@code ./jit-broker dev} runs it, in a child process of its own: the broker in
 * the launcher's JVM, the registry, PostgreSQL and the four services each in their own process, on
 * free ports and with its files in this run's directory, so that it runs beside a dev stack and its
 * CPU is told apart from the load driver's.
 */
final class FlowStack implements FlowTargets, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FlowStack.class);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    private static final String LAUNCHER_MAIN = "io.jitbroker.devstack.launcher.DevStack";

    private final Process process;
    private final Map<String, Integer> ports;
    private final Path workDir;
    private final Path logFile;

    private volatile boolean closing;

    private FlowStack(Process process, Map<String, Integer> ports, Path workDir) {
        this.process = process;
        this.ports = ports;
        this.workDir = workDir;
        this.logFile = workDir.resolve("launcher.log");
    }

    static FlowStack start(Path repositoryRoot, Path workDir) throws IOException, InterruptedException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String name : List.of("REQUEST", "ISSUER", "POLICY", "REVOCATION", "IDP", "KAFKA", "REGISTRY", "POSTGRES")) {
            ports.put(name, FreePorts.find());
        }
        String classpath = ModuleClasspath.of(repositoryRoot.resolve("devstack/launcher"));
        // The launcher's JVM flags as ./jit-broker dev gives them.
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-Djit.home=" + repositoryRoot, "-cp", classpath, LAUNCHER_MAIN);
        ports.forEach((name, port) -> builder.environment().put("JIT_DEV_PORT_" + name, Integer.toString(port)));
        builder.environment().put("JIT_DEV_WORK_DIR", workDir.toString());
        builder.redirectErrorStream(true);
        Files.createDirectories(workDir);
        Process process = builder.start();
        FlowStack stack = new FlowStack(process, ports, workDir);
        stack.awaitReady();
        return stack;
    }

    /** Copies the launcher's output to its log file and returns once it says the stack is ready. */
    private void awaitReady() throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(1);
        Thread copier = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 var log = Files.newBufferedWriter(logFile)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    log.write(line);
                    log.newLine();
                    log.flush();
                    if (line.contains(DevStack.READY_LINE)) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                if (!closing) {
                    throw new UncheckedIOException(e);
                }
                // The stack is being stopped: its output closed under the reader.
            }
        }, "flow-stack-output");
        copier.setDaemon(true);
        copier.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!ready.await(1, TimeUnit.SECONDS)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("the dev stack did not start (see " + logFile + ")");
            }
        }
        LOG.info("dev stack ready (logs in {})", logFile.getParent());
    }

    @Override
    public String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    String kafkaBootstrap() {
        return "127.0.0.1:" + ports.get("KAFKA");
    }

    String registryUrl() {
        return url("REGISTRY") + "/apis/registry/v2";
    }

    /**
     * CPU milliseconds so far of every process of the stack, by role. PostgreSQL's server detaches
     * from the launcher (pg_ctl), so it is found by its data directory, with its backends below it.
     */
    Map<String, Double> cpuByRole() {
        Map<String, Double> cpu = ProcessCpu.byRole(process.toHandle(), FlowStack::roleOf);
        String dataDir = workDir.toString();
        ProcessHandle.allProcesses()
                .filter(p -> commandLine(p.pid()).contains(dataDir) && commandLine(p.pid()).contains("postgres"))
                .filter(p -> p.parent().map(parent -> !commandLine(parent.pid()).contains(dataDir)).orElse(true))
                .forEach(postmaster -> ProcessCpu.byRole(postmaster, p -> "postgresql")
                        .forEach((role, ms) -> cpu.merge(role, ms, Double::sum)));
        return cpu;
    }

    private static String roleOf(ProcessHandle process) {
        String command = commandLine(process.pid());
        if (command.contains("io.jitbroker.request.")) {
            return "request-service";
        }
        if (command.contains("io.jitbroker.policy.")) {
            return "policy-service";
        }
        if (command.contains("io.jitbroker.issuer.")) {
            return "issuer-service";
        }
        if (command.contains("io.jitbroker.revocation.")) {
            return "revocation-service";
        }
        if (command.contains("quarkus-run.jar")) {
            return "registry";
        }
        if (command.contains(LAUNCHER_MAIN)) {
            return "broker (launcher JVM)";
        }
        return "other";
    }

    /** The whole command line: ProcessHandle.Info may leave out the arguments of a long one. */
    private static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        process.destroy(); // SIGTERM: the launcher stops every service, the registry and PostgreSQL
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            LOG.warn("the dev stack did not stop within 60 s; killing it");
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
