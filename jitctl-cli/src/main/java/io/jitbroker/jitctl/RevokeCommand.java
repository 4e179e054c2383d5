package io.jitbroker.jitctl;

import io.jitbroker.client.JitClient;
import io.jitbroker.client.RevocationAccepted;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = "Revoke by hand (SREs only): one grant, every grant of a task, or every active grant of a workload."
                + " The ledger shows revocationReason MANUAL with the reason as its detail.")
final class RevokeCommand extends ApiCommand {

    static final class Target {
        @Option(names = "--grant", paramLabel = "GRANT_ID", required = true)
        String grant;

        @Option(names = "--task", paramLabel = "TASK_ID", required = true)
        String task;

        @Option(names = "--workload", paramLabel = "SPIFFE_ID", required = true)
        String workload;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--task-owner", paramLabel = "SPIFFE_ID",
            description = "with --task: the workload whose task it is, when several workloads used that task id")
    String taskOwner;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why (audited, e.g. an incident number)")
    String reason;

    @Override
    public Integer call() {
        if (taskOwner != null && target.task == null) {
            throw new ParameterException(spec.commandLine(), "--task-owner goes with --task");
        }
        JitClient client = client();
        RevocationAccepted accepted;
        if (target.grant != null) {
            accepted = client.revokeGrant(target.grant, reason);
        } else if (target.task != null) {
            accepted = client.revokeTask(target.task, taskOwner, reason);
        } else {
            accepted = client.revokeWorkload(target.workload, reason);
        }
        Map<String, Object> lines = new LinkedHashMap<>();
        lines.put("revoking", accepted.scope());
        lines.put("workload", accepted.workloadId());
        lines.put("task", accepted.taskId());
        lines.put("grant", accepted.grantId());
        lines.put("event", accepted.eventId());
        printer().print(accepted, lines);
        return ExitCodes.OK;
    }
}
