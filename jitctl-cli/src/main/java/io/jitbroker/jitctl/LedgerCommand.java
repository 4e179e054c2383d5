package io.jitbroker.jitctl;

import io.jitbroker.client.LedgerQuery;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ledger", mixinStandardHelpOptions = true,
        description = "List access requests, newest first (SREs only). Filters combine with AND.")
final class LedgerCommand extends ApiCommand {

    @Option(names = "--workload", paramLabel = "SPIFFE_ID", description = "the requesting workload")
    String workload;

    @Option(names = "--task", paramLabel = "TASK_ID")
    String task;

    @Option(names = "--env", paramLabel = "ENVIRONMENT")
    String environment;

    @Option(names = "--status", paramLabel = "STATUS", description = "PENDING, PENDING_APPROVAL, APPROVED, DENIED, ISSUED or REVOKED")
    String status;

    @Option(names = "--reason", paramLabel = "CODE", description = "a deny code or revocation reason, e.g. TASK_COMPLETED")
    String reason;

    @Option(names = "--break-glass", arity = "0..1", paramLabel = "true|false", description = "only break-glass requests (or, =false, none)")
    Boolean breakGlass;

    @Option(names = "--active", description = "only issued grants that have not expired")
    Boolean active;

    @Option(names = "--from", paramLabel = "INSTANT", description = "requested at or after, ISO-8601 (2026-11-23T10:00:00Z)")
    Instant from;

    @Option(names = "--to", paramLabel = "INSTANT", description = "requested before, ISO-8601")
    Instant to;

    @Option(names = "--limit", paramLabel = "N", description = "1 to 500 (default 50)")
    Integer limit;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "the next page, as the previous page gave it")
    String cursor;

    @Override
    public Integer call() {
        LedgerQuery query = LedgerQuery.builder().workloadId(workload).taskId(task).environment(environment)
                .status(status).reason(reason).breakGlass(breakGlass).active(active).from(from).to(to).limit(limit)
                .cursor(cursor).build();
        printer().page(client().ledger(query));
        return ExitCodes.OK;
    }
}
