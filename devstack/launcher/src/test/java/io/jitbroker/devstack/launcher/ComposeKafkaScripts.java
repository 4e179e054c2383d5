package io.jitbroker.devstack.launcher;

import io.jitbroker.devstack.KafkaAccess;
import io.jitbroker.contracts.Topics;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The two scripts deploy/kafka/init-kafka.sh runs, generated from the code that defines them so they
 * cannot drift: topics.sh from {@link Topics#newTopics} (names, compaction) and acls.sh from
 * {@link KafkaAccess#kafkaAclsCommands}. They take the broker address and a super user's client
 * properties from the environment ({@code BOOTSTRAP}, {@code COMMAND_CONFIG}), partitions and
 * replication from {@code PARTITIONS} and {@code REPLICATION_FACTOR}; acls.sh the deployment's
 * downstream readers of revocations from {@code DOWNSTREAM_PRINCIPALS} ({@link KafkaAccess#downstream}).
 */
final class ComposeKafkaScripts {

    static final String TOPICS_FILE = "deploy/kafka/topics.sh";
    static final String ACLS_FILE = "deploy/kafka/acls.sh";
    static final String REGENERATE_PROPERTY = "jit.deploy.regenerate";

    private static final String BOOTSTRAP = "\"$BOOTSTRAP\"";
    private static final String COMMAND_CONFIG = "\"$COMMAND_CONFIG\"";
    /** Stands for each name of DOWNSTREAM_PRINCIPALS in the generated loop: a valid name, replaced by {@code $name}. */
    private static final String DOWNSTREAM_SAMPLE = "downstream-sample";

    private ComposeKafkaScripts() {
    }

    static String topicsScript() {
        StringBuilder script = header("io.jitbroker.contracts.Topics.newTopics(...)",
                "PARTITIONS and REPLICATION_FACTOR", "\"${PARTITIONS:?}\" \"${REPLICATION_FACTOR:?}\"");
        // Partitions and replication come from the environment: only names and configs are the catalogue's.
        for (NewTopic topic : Topics.newTopics(1, (short) 1)) {
            script.append("kafka-topics.sh --bootstrap-server ").append(BOOTSTRAP)
                    .append(" --command-config ").append(COMMAND_CONFIG)
                    .append(" --create --if-not-exists --topic ").append(topic.name())
                    .append(" --partitions \"$PARTITIONS\" --replication-factor \"$REPLICATION_FACTOR\"");
            Map<String, String> configs = new TreeMap<>(topic.configs() == null ? Map.of() : topic.configs());
            configs.forEach((key, value) -> script.append(" --config ").append(key).append('=').append(value));
            script.append('\n');
        }
        return script.toString();
    }

    static String aclsScript() {
        StringBuilder script = header("io.jitbroker.devstack.KafkaAccess.kafkaAclsCommands(...) and downstream(...)",
                "DOWNSTREAM_PRINCIPALS (optional, space-separated user names)", null);
        List<String> commands = KafkaAccess.kafkaAclsCommands(BOOTSTRAP, COMMAND_CONFIG);
        commands.forEach(command -> script.append(command).append('\n'));
        script.append("# Downstream readers of revocations: each may read ").append(Topics.REVOCATIONS.name())
                .append(" in its own consumer groups\n# <name>").append(KafkaAccess.DOWNSTREAM_GROUP_SUFFIX)
                .append("* (one per instance), nothing else. Their SCRAM users are created by init-kafka.sh.\n")
                .append("for name in ${DOWNSTREAM_PRINCIPALS:-}; do\n")
                .append("  [[ \"$name\" =~ ^").append(KafkaAccess.PRINCIPAL_NAME.pattern()).append("$ ]] \\\n")
                .append("    || { echo \"acls.sh: downstream principal '$name' must match ")
                .append(KafkaAccess.PRINCIPAL_NAME.pattern()).append("\" >&2; exit 1; }\n");
        KafkaAccess.kafkaAclsCommands(KafkaAccess.downstream(DOWNSTREAM_SAMPLE).aclBindings(), BOOTSTRAP, COMMAND_CONFIG)
                .forEach(command -> script.append("  ").append(command.replace(DOWNSTREAM_SAMPLE, "$name")).append('\n'));
        return script.append("done\n").toString();
    }

    private static StringBuilder header(String source, String moreVariables, String moreChecks) {
        StringBuilder header = new StringBuilder()
                .append("#!/usr/bin/env bash\n")
                .append("# GENERATED from ").append(source).append(": do not edit. ComposeFileTest fails when this\n")
                .append("# file differs from what the code generates; regenerate with\n")
                .append("#   mvn -B -o test -pl devstack/launcher -Dtest=ComposeFileTest -D").append(REGENERATE_PROPERTY).append("=true\n")
                .append("# Run by init-kafka.sh with BOOTSTRAP and COMMAND_CONFIG (a super user's client properties)");
        if (moreVariables != null) {
            header.append(",\n# ").append(moreVariables);
        }
        header.append(" set. Idempotent.\n")
                .append("set -euo pipefail\n")
                .append(": \"${BOOTSTRAP:?}\" \"${COMMAND_CONFIG:?}\"");
        if (moreChecks != null) {
            header.append(' ').append(moreChecks);
        }
        return header.append('\n');
    }
}
