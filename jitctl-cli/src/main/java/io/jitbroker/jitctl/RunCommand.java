package io.jitbroker.jitctl;

import io.jitbroker.client.AccessRequest;
import io.jitbroker.client.Credential;
import io.jitbroker.client.JitApiException;
import io.jitbroker.client.JitClient;
import io.jitbroker.client.JitException;
import io.jitbroker.client.JitTimeoutException;
import io.jitbroker.client.LedgerEntry;
import io.jitbroker.client.TaskEventType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/**
 * Runs a command with a just-in-time credential: asks for access, waits for the decision (showing
 * an approval that is pending and its deadline), picks the credential up, starts the command with it
 * in its environment (never in its arguments), reports STARTED and heartbeats while it runs, then
 * COMPLETED, FAILED or CANCELLED, and exits with the command's exit code.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Ask for access, run COMMAND with the credential in its environment, then end the task with the"
                + " command's outcome: exit 0 reports COMPLETED, any other FAILED, SIGINT/SIGTERM (passed on to the"
                + " command) CANCELLED; each revokes the grant. Exits with the command's exit code.",
                "The command gets JIT_CREDENTIAL (and JIT_CREDENTIAL_TYPE), or for a PostgreSQL grant PGHOST PGPORT"
                        + " PGDATABASE PGUSER PGPASSWORD; and JIT_GRANT_ID, JIT_EXPIRES_AT, JIT_REQUEST_ID, JIT_TASK_ID."},
        footer = {"", "Example:", "  jitctl run --env staging --resource http:inventory-api:read --ttl 10m -- ./deploy.sh"})
final class RunCommand extends ApiCommand {

    @Mixin
    AccessOptions access;

    @Option(names = "--heartbeat", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "require a heartbeat this often (at least 5s): jitctl sends one every half of it while the command"
                    + " runs; if jitctl dies, the grant is revoked (HEARTBEAT_MISSED)")
    Duration heartbeat;

    @Option(names = "--break-glass", description = "an emergency request (needs a justification of at least 10 characters)")
    boolean breakGlass;

    @Option(names = "--wait", defaultValue = "15m", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "how long to wait for the decision and the credential, approvals included (default ${DEFAULT-VALUE})")
    Duration wait;

    @Option(names = "--task-id", paramLabel = "TASK_ID",
            description = "the task the access is for (default: jitctl- and a random UUID)")
    String taskId;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "the command and its arguments, after --")
    List<String> command;

    private final AtomicReference<Process> child = new AtomicReference<>();
    private final AtomicReference<Signal> signal = new AtomicReference<>();
    private volatile Thread main;

    @Override
    public Integer call() {
        requireWholeSeconds("--ttl", access.ttl);
        if (heartbeat != null) {
            requireWholeSeconds("--heartbeat", heartbeat);
        }
        JitClient client = client();
        String task = taskId != null ? taskId : "jitctl-" + UUID.randomUUID();
        RunProgress progress = new RunProgress(err(), common.json());
        main = Thread.currentThread();
        try (Signals signals = Signals.handle(received -> onSignal(received, progress))) {
            return run(client, task, progress);
        }
    }

    private int run(JitClient client, String task, RunProgress progress) {
        LedgerEntry outcome;
        Credential credential;
        try {
            String requestId = client.requestAccess(request(task)).requestId();
            progress.requested(requestId, task, Printer.resources(access.resources) + " in " + access.environment
                    + " for " + DurationConverter.format(access.ttl));
            try {
                outcome = client.awaitOutcome(requestId, wait, progress::statusChanged);
            } catch (JitTimeoutException e) {
                progress.timedOut(requestId, e.lastSeen() == null ? null : e.lastSeen().status());
                end(client, task, TaskEventType.CANCELLED, progress);
                return ExitCodes.TIMED_OUT;
            }
            if (!outcome.issued()) {
                progress.notIssued(outcome);
                return ExitCodes.NOT_PERMITTED;
            }
            if (signal.get() != null) {
                return cancelledBeforeStart(client, task, progress);
            }
            try {
                credential = client.pickUp(outcome.grantId());
            } catch (JitException e) {
                end(client, task, TaskEventType.CANCELLED, progress);
                throw e;
            }
        } catch (JitException e) {
            if (signal.get() != null) {
                return cancelledBeforeStart(client, task, progress);
            }
            throw e;
        }
        progress.issued(outcome, credential);
        return runCommand(client, task, outcome, credential, progress);
    }

    private AccessRequest request(String task) {
        return AccessRequest.builder().taskId(task).environment(access.environment).resources(access.resources)
                .ttl(access.ttl).heartbeatInterval(heartbeat).breakGlass(breakGlass)
                .justification(access.justification != null ? access.justification : "jitctl run " + program())
                .build();
    }

    private int runCommand(JitClient client, String task, LedgerEntry issued, Credential credential, RunProgress progress) {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        Map<String, String> environment = builder.environment();
        environment.putAll(credential.environment());
        environment.put("JIT_GRANT_ID", issued.grantId());
        environment.put("JIT_EXPIRES_AT", credential.expiresAt().toString());
        environment.put("JIT_REQUEST_ID", issued.requestId());
        environment.put("JIT_TASK_ID", task);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            progress.warn("cannot start " + program() + ": " + e.getMessage());
            end(client, task, TaskEventType.FAILED, progress);
            return e.getMessage() != null && e.getMessage().contains("error=2,") ? ExitCodes.NOT_FOUND : ExitCodes.CANNOT_EXECUTE;
        }
        child.set(process);
        Signal early = signal.get();
        if (early != null) {
            forward(early, process);
        }
        progress.started(program(), process.pid());
        report(client, task, TaskEventType.STARTED, progress);
        ScheduledExecutorService heartbeats = heartbeat == null ? null : heartbeats(client, task, progress);
        int exitCode = waitFor(process);
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
        TaskEventType outcome = signal.get() != null ? TaskEventType.CANCELLED
                : exitCode == 0 ? TaskEventType.COMPLETED : TaskEventType.FAILED;
        end(client, task, outcome, progress);
        progress.ended(exitCode, outcome.name());
        return exitCode;
    }

    /** Half the interval the grant requires: one late or lost heartbeat does not cost the grant. */
    private ScheduledExecutorService heartbeats(JitClient client, String task, RunProgress progress) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "jitctl-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long period = heartbeat.toMillis() / 2;
        scheduler.scheduleAtFixedRate(() -> report(client, task, TaskEventType.HEARTBEAT, progress), period, period,
                TimeUnit.MILLISECONDS);
        return scheduler;
    }

    private void onSignal(Signal received, RunProgress progress) {
        signal.compareAndSet(null, received);
        Process process = child.get();
        progress.signalled(received.getName(), process != null);
        if (process != null) {
            forward(received, process);
        } else if (main != null) {
            main.interrupt();
        }
    }

    /** SIGTERM through Process.destroy(); Java has no call for SIGINT, so kill(1) sends it. */
    private static void forward(Signal received, Process process) {
        if ("INT".equals(received.getName())) {
            try {
                new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
                return;
            } catch (IOException e) {
                // no kill(1): SIGTERM below still stops it
            }
        }
        process.destroy();
    }

    private int cancelledBeforeStart(JitClient client, String task, RunProgress progress) {
        Thread.interrupted();
        end(client, task, TaskEventType.CANCELLED, progress);
        return ExitCodes.SIGNALLED + signal.get().getNumber();
    }

    /** Waits for the command whatever interrupts this thread: it must not outlive its report. */
    private static int waitFor(Process process) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The event that ends the task (and so revokes its grant) matters: a service hiccup is retried. */
    private static void end(JitClient client, String task, TaskEventType type, RunProgress progress) {
        Thread.interrupted();
        for (int attempt = 1; ; attempt++) {
            try {
                client.reportTaskEvent(task, type);
                return;
            } catch (JitException e) {
                boolean retryable = !(e instanceof JitApiException api) || api.retryable();
                if (!retryable || attempt == 3) {
                    progress.warn("could not report " + type + " for task " + task + " (" + e.getMessage()
                            + "); its grant stays until it expires");
                    return;
                }
                pause(Duration.ofSeconds(attempt));
            }
        }
    }

    private static void report(JitClient client, String task, TaskEventType type, RunProgress progress) {
        try {
            client.reportTaskEvent(task, type);
        } catch (JitException e) {
            progress.warn("could not report " + type + " for task " + task + ": " + e.getMessage());
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String program() {
        return Path.of(command.get(0)).getFileName().toString();
    }

    private void requireWholeSeconds(String option, Duration duration) {
        if (duration.getNano() != 0 || duration.getSeconds() < 1) {
            throw new ParameterException(spec.commandLine(), option + " must be whole seconds, at least 1s, got "
                    + DurationConverter.format(duration));
        }
    }
}
