package io.jitbroker.jitctl;

import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the ledger entry of one access request (the requesting workload or an SRE).")
final class StatusCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "REQUEST_ID", description = "the request id (run prints it)")
    String requestId;

    @Option(names = "--wait", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "answer as soon as the request is decided and issued, denied or waiting for approval, or after at most this long (up to 30s)")
    Duration wait;

    @Override
    public Integer call() {
        printer().entry(client().status(requestId, wait == null ? Duration.ZERO : wait));
        return ExitCodes.OK;
    }
}
