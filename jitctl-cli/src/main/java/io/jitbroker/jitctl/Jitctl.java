package io.jitbroker.jitctl;

import io.jitbroker.client.JitApiException;
import io.jitbroker.client.JitException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.OutputStreamWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./jitctl}: jit-broker from the command line (docs/CLIENTS.md). */
@Command(name = "jitctl", mixinStandardHelpOptions = true, version = "jitctl 0.1.0",
        description = "Just-in-time access from the command line: run a command with a short-lived credential,"
                + " read the ledger, answer approvals, revoke.",
        subcommands = {RunCommand.class, StatusCommand.class, LedgerCommand.class, ApproveCommand.class,
                ApproveCommand.DenyCommand.class, RevokeCommand.class, PolicyCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Identity: --token-file FILE or JIT_TOKEN_FILE (a JWT-SVID, read again when it changes), JIT_TOKEN,"
                + " or in the dev stack --dev-workload SPIFFE_ID. Services: --request-url/--issuer-url or JIT_REQUEST_URL/"
                + "JIT_ISSUER_URL, by default the dev stack's.",
                "Exit codes: run exits with its command's code once the command ran. Otherwise 0 ok, 2 usage,"
                        + " 65 refused by the service, 69 service unavailable, 70 internal error, 75 --wait ran out, 77 denied or not allowed,"
                        + " 126/127 command not executable/not found, 130/143 stopped by SIGINT/SIGTERM before the command ran."})
public final class Jitctl implements Runnable {

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;

    Jitctl(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(commandLine(System.getenv(), out, err).execute(args));
    }

    /** The whole command line, reading the environment from {@code environment} (tests give their own). */
    static CommandLine commandLine(Map<String, String> environment, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new Jitctl(environment));
        commandLine.setOut(out);
        commandLine.setErr(err);
        // `jitctl run --env staging --resource ... sh -c '...'` works without `--` too: COMMAND's own options stay its own
        commandLine.getSubcommands().get("run").setStopAtPositional(true);
        commandLine.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("jitctl: " + e.getMessage());
            failed.getErr().println("try '" + failed.getCommandSpec().qualifiedName() + " --help'");
            failed.getErr().flush();
            return ExitCodes.USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, failed, parseResult) -> {
            failed.getErr().println("jitctl: " + e.getMessage());
            failed.getErr().flush();
            return exitCode(e);
        });
        return commandLine;
    }

    /** What a failure means for a script: see {@link ExitCodes}. */
    static int exitCode(Exception e) {
        if (e instanceof JitApiException api) {
            int status = api.status();
            if (status == 401 || status == 403 || status == 410) {
                return ExitCodes.NOT_PERMITTED;
            }
            return status >= 500 ? ExitCodes.UNAVAILABLE : ExitCodes.REFUSED;
        }
        return e instanceof JitException ? ExitCodes.UNAVAILABLE : ExitCodes.INTERNAL;
    }

    Map<String, String> environment() {
        return environment;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a command (jitctl --help lists them)");
    }
}
