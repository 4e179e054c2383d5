package io.jitbroker.chaos.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import io.jitbroker.devstack.SecureKafkaNode;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/**
 * One Kafka node of the cluster, run in its host's namespace: broker and controller in one JVM, one of
 * a static quorum of three, with the replication the production guide asks of a three-broker
 * deployment (replication factor 3, min.insync.replicas 2 for every topic, the internal ones too, no
 * unclean leader election), locked down as the production broker is ({@link SecureKafkaNode}: clients
 * log in with SASL/SCRAM on {@value #CLIENT_PORT} and may do only what their ACLs allow; the nodes
 * log in to one another with SASL/PLAIN on {@value #BROKER_PORT} and {@value #CONTROLLER_PORT}). Runs
 * until it is stopped (SIGTERM shuts it down cleanly; the harness also SIGKILLs it).
 *
 * <p>Arguments: node id, the host's address, the voters ({@code 1@198.18.0.10,2@…}), the cluster id
 * and the data directory (formatted on first start, kept across restarts). The nodes' shared secret
 * comes in {@value #SECRET_VARIABLE}, never on the command line.
 */
public final class BrokerNode {

    public static final int CLIENT_PORT = 9092;
    public static final int CONTROLLER_PORT = 9093;
    public static final int BROKER_PORT = 9094;
    public static final String SECRET_VARIABLE = "JIT_CHAOS_BROKER_SECRET";

    private BrokerNode() {
    }

    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: BrokerNode NODE_ID ADDRESS VOTERS CLUSTER_ID DATA_DIR");
            System.exit(2);
        }
        String secret = System.getenv(SECRET_VARIABLE);
        if (secret == null || secret.isEmpty()) {
            System.err.println(SECRET_VARIABLE + " is not set");
            System.exit(2);
        }
        Properties props = properties(args[0], args[1], args[2], Path.of(args[4]), secret);
        formatIfNeeded(Path.of(args[4]), args[3], props);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "broker-shutdown"));
        server.startup();
        System.out.println("broker " + args[0] + " started on " + args[1] + ":" + CLIENT_PORT);
        server.awaitShutdown();
    }

    /** @param voters {@code id@address} for each node, comma-separated */
    static Properties properties(String nodeId, String address, String voters, Path dataDir, String secret) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", nodeId);
        StringBuilder quorum = new StringBuilder();
        for (String voter : voters.split(",")) {
            quorum.append(quorum.isEmpty() ? "" : ",").append(voter).append(':').append(CONTROLLER_PORT);
        }
        props.put("controller.quorum.voters", quorum.toString());
        SecureKafkaNode.configure(props, address, CLIENT_PORT, BROKER_PORT, CONTROLLER_PORT, secret);
        props.put("log.dirs", dataDir.toAbsolutePath().toString());
        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "3");
        // deploy/kafka/server.properties, with the replication of three brokers.
        props.put("default.replication.factor", "3");
        props.put("min.insync.replicas", "2");
        props.put("unclean.leader.election.enable", "false");
        props.put("offsets.topic.replication.factor", "3");
        props.put("offsets.topic.num.partitions", "6");
        props.put("transaction.state.log.replication.factor", "3");
        props.put("transaction.state.log.min.isr", "2");
        props.put("transaction.state.log.num.partitions", "6");
        props.put("share.coordinator.state.topic.replication.factor", "3");
        props.put("share.coordinator.state.topic.min.isr", "2");
        props.put("group.initial.rebalance.delay.ms", "3000");
        props.put("add.partitions.to.txn.retry.backoff.ms", "2");
        return props;
    }

    private static void formatIfNeeded(Path dataDir, String clusterId, Properties props) {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(dataDir);
            Path config = Files.createTempFile("jit-chaos-kafka-", ".properties");
            try (var out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
                SecureKafkaNode.withoutSecrets(props).store(out, "jit-broker chaos cluster node");
            }
            int rc = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config.toString()},
                    new PrintStream(System.out, true, StandardCharsets.UTF_8));
            Files.deleteIfExists(config);
            if (rc != 0) {
                throw new IllegalStateException("formatting " + dataDir + " failed with code " + rc);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
