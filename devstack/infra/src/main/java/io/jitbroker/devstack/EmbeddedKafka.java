package io.jitbroker.devstack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.plain.PlainLoginModule;
import org.apache.kafka.common.security.scram.ScramLoginModule;
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

    /** The broker's own identity on its internal listeners (between broker and controller): a super user. */
    private static final String BROKER_USER = "broker";
    private static final String PLAIN = "PLAIN";
    private static final int SCRAM_ITERATIONS = 8192;
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);
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
            if (security.users().contains(BROKER_USER)) {
                // It would share the broker's super-user principal.
                throw new IllegalArgumentException("the Kafka user name " + BROKER_USER + " is reserved for the broker");
            }
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
                kafka.applySecurity(setup);
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
     * controller as {@link #BROKER_USER} with SASL/PLAIN (KRaft cannot use SCRAM there: the SCRAM
     * credentials live in the metadata the controller serves), with a secret made for this run only.
     * Returns the config of a client on the internal listener, for setting up the users and ACLs.
     */
    private static Map<String, Object> secureListeners(Properties props, int clientPort, int controllerPort) {
        int internalPort = FreePorts.find();
        String secret = KafkaSecurity.randomSecret();
        String brokerJaas = PlainLoginModule.class.getName() + " required username=\"" + BROKER_USER
                + "\" password=\"" + secret + "\" user_" + BROKER_USER + "=\"" + secret + "\";";
        props.put("listeners", "CLIENT://127.0.0.1:" + clientPort + ",BROKER://127.0.0.1:" + internalPort
                + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "CLIENT://127.0.0.1:" + clientPort + ",BROKER://127.0.0.1:" + internalPort);
        props.put("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,BROKER:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        props.put("inter.broker.listener.name", "BROKER");
        props.put("sasl.mechanism.inter.broker.protocol", PLAIN);
        props.put("sasl.mechanism.controller.protocol", PLAIN);
        props.put("listener.name.client.sasl.enabled.mechanisms", KafkaSecurity.MECHANISM);
        props.put("listener.name.client." + KafkaSecurity.MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                ScramLoginModule.class.getName() + " required;");
        props.put("listener.name.broker.sasl.enabled.mechanisms", PLAIN);
        props.put("listener.name.broker.plain.sasl.jaas.config", brokerJaas);
        props.put("listener.name.controller.sasl.enabled.mechanisms", PLAIN);
        props.put("listener.name.controller.plain.sasl.jaas.config", brokerJaas);
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("allow.everyone.if.no.acl.found", "false");
        props.put("super.users", user(BROKER_USER) + ";" + user(KafkaSecurity.ADMIN));
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + internalPort,
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_PLAINTEXT.name,
                SaslConfigs.SASL_MECHANISM, PLAIN,
                SaslConfigs.SASL_JAAS_CONFIG, KafkaSecurity.jaasConfig(PlainLoginModule.class.getName(), BROKER_USER, secret));
    }

    private static String user(String name) {
        return new KafkaPrincipal(KafkaPrincipal.USER_TYPE, name).toString();
    }

    /** Upserts every user's SCRAM credential and replaces their ACLs, then waits until the broker enforces both. */
    private void applySecurity(Admin setup) {
        ScramCredentialInfo scram = new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS);
        List<UserScramCredentialAlteration> credentials = security.users().stream()
                .<UserScramCredentialAlteration>map(user -> new UserScramCredentialUpsertion(user, scram, security.password(user)))
                .toList();
        Set<String> principals = new TreeSet<>();
        security.users().forEach(name -> principals.add(user(name)));
        security.acls().forEach(acl -> principals.add(acl.entry().principal()));
        List<AclBindingFilter> previousAcls = principals.stream().map(principal -> new AclBindingFilter(
                ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY))).toList();
        await(setup.alterUserScramCredentials(credentials).all(), "creating the Kafka users");
        await(setup.deleteAcls(previousAcls).all(), "removing the Kafka users' previous ACLs");
        await(setup.createAcls(security.acls()).all(), "creating the Kafka ACLs");
        // The controller answers once the change is committed; the broker applies it a moment later.
        awaitUntil("the broker to enforce the Kafka ACLs",
                () -> await(setup.describeAcls(AclBindingFilter.ANY).values(), "reading the ACLs").containsAll(security.acls()));
        for (String name : security.users()) {
            awaitUntil("the broker to accept the credentials of " + name, () -> canLogIn(name));
        }
    }

    private boolean canLogIn(String user) {
        try (Admin admin = Admin.create(clientConfig(user))) {
            admin.describeCluster().clusterId().get(SETUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SaslAuthenticationException) {
                return false;
            }
            throw new IllegalStateException("Kafka user " + user + " could not reach the broker", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out logging in to Kafka as " + user, e);
        }
    }

    private static <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(SETUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out " + what, e);
        }
    }

    private static void awaitUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + SETUP_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static void formatIfNeeded(Path logDir, Properties props) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            Path config = Files.createTempFile("jit-kafka-", ".properties");
            Properties withoutSecrets = new Properties();
            props.stringPropertyNames().stream().filter(key -> !key.endsWith(SaslConfigs.SASL_JAAS_CONFIG))
                    .forEach(key -> withoutSecrets.put(key, props.getProperty(key)));
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
