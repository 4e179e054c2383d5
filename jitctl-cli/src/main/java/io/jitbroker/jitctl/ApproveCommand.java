package io.jitbroker.jitctl;

import io.jitbroker.client.ApprovalAccepted;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "approve", mixinStandardHelpOptions = true,
        description = "Approve a request waiting for an SRE (SREs only; never a request of your own identity).")
class ApproveCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "REQUEST_ID")
    String requestId;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why (at most 500 characters; audited)")
    String reason;

    boolean approve() {
        return true;
    }

    @Override
    public Integer call() {
        ApprovalAccepted accepted = approve() ? client().approve(requestId, reason) : client().deny(requestId, reason);
        Map<String, Object> lines = new LinkedHashMap<>();
        lines.put(accepted.approve() ? "approved" : "denied", accepted.requestId());
        lines.put("event", accepted.eventId());
        printer().print(accepted, lines);
        return ExitCodes.OK;
    }

    @Command(name = "deny", mixinStandardHelpOptions = true,
            description = "Refuse a request waiting for an SRE: it becomes DENIED with APPROVAL_DENIED (SREs only).")
    static final class DenyCommand extends ApproveCommand {

        @Override
        boolean approve() {
            return false;
        }
    }
}
