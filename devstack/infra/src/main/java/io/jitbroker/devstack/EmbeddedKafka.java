package io.jitbroker.devstack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker in KRaft mode (one combined broker and controller) running inside this JVM.
 * Binds to loopback only. Plaintext and open to all by default; with a {@link KafkaSecurity} it
 * authenticates clients with SASL/SCRAM-SHA-512 and enforces ACLs (KRaft's StandardAuthorizer,
 * deny when no ACL matches).
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    /**
     * A transaction's first write waits until the producer's previous transaction is complete; the
     * broker re-checks after this long (default 20 ms). An exactly-once Streams app starts its next
     * transaction right after committing, so the default put 20 ms into every commit cycle.
     */
    static final String ADD_PARTITIONS_RETRY_BACKOFF = "add.partitions.to.txn.retry.backoff.ms";
    static final String ADD_PARTITIONS_RETRY_BACKOFF_MS = "2";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path logDir;
    private final boolean deleteOnClose;
    private final KafkaSecurity security;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path logDir, boolean deleteOnClose,
                          KafkaSecurity security) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.logDir = logDir;
        this.deleteOnClose = deleteOnClose;
        this.security = security;
    }

    /** A broker on free ports with a temporary log directory, deleted on close. */
    public static EmbeddedKafka startTemporary() {
        return startTemporary(null);
    }

    /** A temporary broker (see {@link #startTemporary()}) that authenticates clients and enforces ACLs. */
    public static EmbeddedKafka startTemporarySecure(KafkaSecurity security) {
        return startTemporary(Objects.requireNonNull(security, "security"));
    }

    private static EmbeddedKafka startTemporary(KafkaSecurity security) {
        try {
            return start(Files.createTempDirectory("jit-kafka-"), 0, true, security);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a plaintext broker that lets anyone do anything, with its data in {@code logDir}
     * (formatted on first use, reused after).
     *
     * @param port the client port, 0 for a free one
     */
    public static EmbeddedKafka start(Path logDir, int port, boolean deleteOnClose) {
        return start(logDir, port, deleteOnClose, null);
    }

    /**
     * Starts a broker whose data lives in {@code logDir} (formatted on first use, reused after).
     *
     * @param port the client port, 0 for a free one
     * @param security null for plaintext without authorization; otherwise clients must log in with
     *     SASL/SCRAM as one of its users, and its ACLs replace whatever those users were allowed before
     */
    public static EmbeddedKafka start(Path logDir, int port, boolean deleteOnClose, KafkaSecurity security) {
        int clientPort = port == 0 ? FreePorts.find() : port;
        int controllerPort = FreePorts.find();
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        props.put("num.partitions", "3");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("log.flush.interval.messages", "10000");
        props.put(ADD_PARTITIONS_RETRY_BACKOFF, ADD_PARTITIONS_RETRY_BACKOFF_MS);
        Map<String, Object> setupClient;
        if (security == null) {
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            setupClient = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + clientPort);
        } else {
            setupClient = secureListeners(props, clientPort, controllerPort);
        }
        formatIfNeeded(logDir, props);

        long started = System.nanoTime();
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
        server.startup();
        String bootstrap = "127.0.0.1:" + clientPort;
        EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrap, logDir, deleteOnClose, security);
        try (Admin setup = Admin.create(setupClient)) {
            awaitReady(setup);
            if (security != null) {
                SecureKafkaNode.applySecurity(setup, security, kafka::clientConfig);
            }
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        LOG.info("Kafka broker (KRaft) ready on {} in {} ms, data in {}, {}", bootstrap,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), logDir,
                security == null ? "plaintext, no authorization" : security);
        return kafka;
    }

    /**
     * Clients log in with SCRAM on the client listener; the broker talks to itself and to its
     * controller on its internal listeners ({@link SecureKafkaNode}), with a secret made for this run
     * only. Returns the config of a client on the internal listener, for setting up the users and ACLs.
     */
    private static Map<String, Object> secureListeners(Properties props, int clientPort, int controllerPort) {
        int internalPort = FreePorts.find();
        String secret = KafkaSecurity.randomSecret();
        SecureKafkaNode.configure(props, "127.0.0.1", clientPort, internalPort, controllerPort, secret);
        return SecureKafkaNode.brokerClientConfig("127.0.0.1:" + internalPort, secret);
    }

    private static void formatIfNeeded(Path logDir, Properties props) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            Path config = Files.createTempFile("jit-kafka-", ".properties");
            Properties withoutSecrets = SecureKafkaNode.withoutSecrets(props);
            try (var out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
                withoutSecrets.store(out, "jit-broker embedded Kafka");
            }
            var discard = new PrintStream(PrintStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            int rc = StorageTool.execute(new String[] {
                "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--standalone"}, discard);
            Files.deleteIfExists(config);
            if (rc != 0) {
                throw new IllegalStateException("formatting the Kafka log dir " + logDir + " failed with code " + rc);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitReady(Admin admin) {
        try {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka broker did not become ready", e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Whether clients must log in and ACLs are enforced. */
    public boolean secure() {
        return security != null;
    }

    /**
     * What a client needs to reach this secure broker as {@code user}: bootstrap servers,
     * {@code security.protocol}, {@code sasl.mechanism} and {@code sasl.jaas.config} (with the
     * password: never log it).
     */
    public Map<String, Object> clientConfig(String user) {
        if (security == null) {
            throw new IllegalStateException("this Kafka broker runs without authentication");
        }
        Map<String, Object> config = new HashMap<>(security.clientConfig(user));
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    /** An admin client; on a secure broker it logs in as the super user {@link KafkaSecurity#ADMIN}. */
    public Admin admin() {
        return Admin.create(security == null
                ? Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers)
                : clientConfig(KafkaSecurity.ADMIN));
    }

    /** Creates topics that do not exist yet; existing ones are left as they are. */
    public void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = admin()) {
            createTopics(admin, topics);
        }
    }

    /** The same through any admin client (the chaos harness's cluster has its own). */
    public static void createTopics(Admin admin, Collection<NewTopic> topics) {
        try {
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out creating topics", e);
        }
    }

    public void createTopics(List<String> names, int partitions) {
        createTopics(names.stream().map(n -> new NewTopic(n, partitions, (short) 1)).toList());
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            Directories.deleteRecursively(logDir);
        }
        LOG.info("Kafka broker on {} stopped", bootstrapServers);
    }
}
