package io.jitbroker.jitctl;

import io.jitbroker.client.PolicyPublication;
import io.jitbroker.client.PolicyQuestion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Publish a policy bundle (policy admins) or explain what policy would decide (admins and SREs).",
        subcommands = {PolicyCommand.Publish.class, PolicyCommand.Explain.class})
final class PolicyCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a subcommand: publish or explain");
    }

    /** The file's text, or standard input's for {@code -}; a file that cannot be read is a usage error. */
    static String read(Path file, CommandSpec command) {
        try {
            return "-".equals(file.toString()) ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ParameterException(command.commandLine(), "cannot read " + file + ": " + e);
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Publish a policy bundle (YAML, docs/POLICY.md) as the new version; every active grant is"
                    + " re-evaluated against it. An invalid bundle is refused with its line, and the running one stays.",
            footer = {"", "Example:", "  jitctl policy publish my-policy.yaml"})
    static final class Publish extends ApiCommand {

        @Parameters(index = "0", paramLabel = "FILE", description = "the bundle; - for standard input")
        Path file;

        @Override
        public Integer call() {
            PolicyPublication publication = client().publishPolicy(read(file, spec));
            Map<String, Object> lines = new LinkedHashMap<>();
            lines.put(publication.published() ? "published" : "unchanged", publication.name() + " " + publication.version());
            lines.put("previous", publication.previousVersion());
            printer().print(publication, lines);
            return ExitCodes.OK;
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
            description = "What policy would decide for a request, and why, rule by rule; publishes nothing.",
            footer = {"", "Example:", "  jitctl policy explain --workload spiffe://dev.local/ci/deployer --env staging"
                    + " --resource http:inventory-api:read,write"})
    static final class Explain extends ApiCommand {

        @Option(names = "--workload", required = true, paramLabel = "SPIFFE_ID", description = "the workload asking")
        String workload;

        @Mixin
        AccessOptions access;

        @Option(names = "--proposed", paramLabel = "FILE", description = "evaluate this bundle instead of the running one")
        Path proposed;

        @Override
        public Integer call() {
            PolicyQuestion question = new PolicyQuestion(workload, access.environment, access.resources, access.ttl,
                    access.justification,
                    proposed == null ? null : read(proposed, spec));
            printer().explanation(client().explainPolicy(question));
            return ExitCodes.OK;
        }
    }
}
