package io.jitbroker.chaos.cluster;

import io.jitbroker.chaos.net.Host;
import io.jitbroker.chaos.net.HostNetwork;
import io.jitbroker.contracts.Topics;
import io.jitbroker.devstack.DevIdentityProvider;
import io.jitbroker.devstack.EmbeddedKafka;
import io.jitbroker.devstack.EmbeddedPostgresServer;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.devstack.KafkaAccess;
import io.jitbroker.devstack.KafkaSecurity;
import io.jitbroker.devstack.SchemaRegistryProcess;
import io.jitbroker.devstack.SecureKafkaNode;
import io.jitbroker.devstack.launcher.DevStack;
import io.jitbroker.devstack.launcher.DevStackOptions;
import io.jitbroker.devstack.launcher.ModuleClasspath;
import io.jitbroker.devstack.launcher.ServiceSpec;
import io.jitbroker.kafka.SchemaDeployment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system as a cluster on this machine: three Kafka nodes (brokers and the controller quorum)
 * and two instances of each of the four services, every one on a host of its own
 * ({@link HostNetwork}), plus the schema registry, PostgreSQL and the identity provider on the
 * gateway (the root namespace, where this harness runs). Services run as the dev stack runs them
 * (their own JVMs, the dev profile), pointed at all three brokers. Kafka is locked down as in
 * production: every service logs in with SASL/SCRAM as its own user and may do only what its ACLs
 * ({@link KafkaAccess}) allow; the harness itself reads and administers as the super user
 * {@link KafkaSecurity#ADMIN}. The passwords are made for the run and never written down.
 */
public final class Cluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
    public static final int PARTITIONS = 3;
    public static final int INSTANCES = 2;
    private static final int REGISTRY_PORT = 8085;
    private static final int POSTGRES_PORT = 5433;
    private static final int IDP_PORT = 8086;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    private static final Map<String, Integer> SERVICE_PORTS = Map.of(
            "request-service", 8080, "issuer-service", 8081, "policy-service", 8082, "revocation-service", 8083);

    private final Path workDir;
    private final HostNetwork network;
    private final List<Broker> brokers = new ArrayList<>();
    private final Map<String, List<ServiceInstance>> services = new LinkedHashMap<>();
    private final List<AutoCloseable> infrastructure = new ArrayList<>();
    private final KafkaSecurity kafkaSecurity = KafkaSecurity.withRandomPasswords(KafkaAccess.aclBindings());
    private final String brokerSecret = KafkaSecurity.randomSecret();
    private DevIdentityProvider identityProvider;
    private SchemaRegistryProcess registry;
    private EmbeddedPostgresServer postgres;
    private boolean closed;

    private Cluster(Path workDir, HostNetwork network) {
        this.workDir = workDir;
        this.network = network;
    }

    /** Starts everything and returns once every service instance is healthy. */
    public static Cluster start(Path repositoryRoot, Path workDir) throws InterruptedException {
        List<ProcessHandle> left = leftoverProcesses();
        if (!left.isEmpty()) {
            throw new IllegalStateException("processes of an earlier chaos run are still running (pids "
                    + left.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(", "))
                    + "); stop them with: ./jit-broker chaos --clean");
        }
        Cluster cluster = new Cluster(workDir, HostNetwork.create());
        try {
            cluster.startInfrastructure();
            cluster.startBrokers(ModuleClasspath.of(repositoryRoot.resolve("devstack/chaos")));
            cluster.startServices(repositoryRoot);
            return cluster;
        } catch (RuntimeException | InterruptedException e) {
            cluster.close();
            throw e;
        }
    }

    private void startInfrastructure() throws InterruptedException {
        identityProvider = DevIdentityProvider.start(HostNetwork.GATEWAY, IDP_PORT);
        infrastructure.add(identityProvider);
        registry = SchemaRegistryProcess.start(SchemaRegistryProcess.locateApp(), HostNetwork.GATEWAY, REGISTRY_PORT,
                workDir.resolve("logs/schema-registry.log"));
        infrastructure.add(registry);
        SchemaDeployment.deploy(registry.nativeApiUrl(), Topics.ALL, Duration.ofSeconds(60));
        startPostgres();
        postgres.createPrivateDatabase("issuer_service");
        postgres.createPrivateDatabase("request_service");
    }

    private void startPostgres() {
        postgres = EmbeddedPostgresServer.startOnNetwork(workDir.resolve("data/postgres"), POSTGRES_PORT, HostNetwork.GATEWAY,
                "198.18.0.0/24");
    }

    private void startBrokers(String classpath) {
        List<Host> hosts = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            hosts.add(network.addHost("broker-" + id));
        }
        String voters = IntStream.rangeClosed(1, 3).mapToObj(id -> id + "@" + hosts.get(id - 1).address())
                .collect(Collectors.joining(","));
        String clusterId = Uuid.randomUuid().toString();
        for (int id = 1; id <= 3; id++) {
            Broker broker = new Broker(id, hosts.get(id - 1), voters, clusterId, workDir.resolve("data/broker-" + id),
                    workDir.resolve("logs/broker-" + id + ".log"), classpath, brokerSecret);
            brokers.add(broker);
            broker.start();
        }
        String internalListeners = brokers.stream().map(Broker::internalListener).collect(Collectors.joining(","));
        try (Admin admin = Admin.create(SecureKafkaNode.brokerClientConfig(internalListeners, brokerSecret))) {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (true) {
                try {
                    if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == 3) {
                        break;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    LOG.debug("cluster not ready yet: {}", e.toString());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the three Kafka nodes did not form a cluster within " + START_TIMEOUT
                            + "; see " + workDir.resolve("logs"));
                }
                sleepQuietly(500);
            }
            SecureKafkaNode.applySecurity(admin, kafkaSecurity, this::clientConfig);
            EmbeddedKafka.createTopics(admin, Topics.newTopics(PARTITIONS, (short) 3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        LOG.info("Kafka cluster ready: {}", bootstrapServers());
    }

    private void startServices(Path repositoryRoot) {
        DevStackOptions defaults = DevStackOptions.fromEnvironment(Map.of(), repositoryRoot);
        String masterKey = DevStack.randomMasterKey();
        Map<String, String> infra = Infrastructure.serviceEnvironment(bootstrapServers(), registry.nativeApiUrl(),
                identityProvider);
        List<ServiceInstance> all = new ArrayList<>();
        for (ServiceSpec dev : ServiceSpec.all(defaults)) {
            ServiceSpec spec = new ServiceSpec(dev.name(), dev.module(), dev.mainClass(), SERVICE_PORTS.get(dev.name()),
                    dev.database());
            List<ServiceInstance> instances = new ArrayList<>();
            for (int n = 1; n <= INSTANCES; n++) {
                Host host = network.addHost(spec.name().replace("-service", "") + "-" + n);
                String issuerUrl = "http://" + host.address() + ":" + SERVICE_PORTS.get("issuer-service");
                Map<String, String> env = DevStack.serviceEnvironment(spec, infra, host.address(), defaults.examplePolicy(),
                        issuerUrl, workDir.resolve("data/streams/" + spec.name() + "-" + n), masterKey,
                        spec.database() == null ? null : postgres.jdbcUrl(spec.database()));
                env.putAll(Infrastructure.kafkaLoginEnvironment(kafkaSecurity.clientConfig(spec.name())));
                instances.add(new ServiceInstance(spec, n, host, repositoryRoot, env,
                        workDir.resolve("logs/" + spec.name() + "-" + n + ".log")));
            }
            services.put(spec.name(), instances);
            all.addAll(instances);
        }
        // Two at a time: eight JVMs starting at once on two cores take longer than in pairs.
        for (int i = 0; i < all.size(); i += 2) {
            List<ServiceInstance> pair = all.subList(i, Math.min(all.size(), i + 2));
            pair.forEach(ServiceInstance::start);
            pair.forEach(instance -> {
                instance.awaitHealthy(START_TIMEOUT);
                LOG.info("{} healthy on {}", instance.name(), instance.url());
            });
        }
    }

    /**
     * What a run that was killed may leave besides its network: the registry and PostgreSQL it started
     * on the gateway (its brokers and services die with their namespaces).
     */
    public static List<ProcessHandle> leftoverProcesses() {
        return ProcessHandle.allProcesses().filter(process -> process.info().commandLine()
                .filter(line -> line.contains("/.devstack-chaos/") || line.contains("-Dquarkus.http.host=" + HostNetwork.GATEWAY))
                .isPresent()).toList();
    }

    /** Removes everything an earlier run left: its processes, then its namespaces and links. */
    public static void removeLeftovers() {
        for (ProcessHandle process : leftoverProcesses()) {
            process.destroy();
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        HostNetwork.removeAll();
    }

    /** An admin client, logged in as the super user {@link KafkaSecurity#ADMIN}. */
    public Admin admin() {
        Map<String, Object> config = new HashMap<>(clientConfig(KafkaSecurity.ADMIN));
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        return Admin.create(config);
    }

    /**
     * What a client needs to reach the cluster as {@code user}: bootstrap servers and the SASL/SCRAM
     * login (with the password: never log it).
     */
    public Map<String, Object> clientConfig(String user) {
        Map<String, Object> config = new HashMap<>(kafkaSecurity.clientConfig(user));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    /** Every partition of every topic, with its leader, replicas and in-sync replicas. */
    public List<TopicPartitionInfo> partitions(Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        try (Admin admin = admin()) {
            var names = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return admin.describeTopics(names).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS).values()
                    .stream().flatMap(topic -> topic.partitions().stream()).toList();
        }
    }

    /** The node id of the active controller: the metadata quorum's leader. */
    public int activeController() throws ExecutionException, InterruptedException, TimeoutException {
        try (Admin admin = admin()) {
            return admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS).leaderId();
        }
    }

    public String bootstrapServers() {
        return brokers.stream().map(Broker::bootstrap).collect(Collectors.joining(","));
    }

    public String registryUrl() {
        return registry.nativeApiUrl();
    }

    public DevIdentityProvider identityProvider() {
        return identityProvider;
    }

    public List<Broker> brokers() {
        return List.copyOf(brokers);
    }

    public Broker broker(int nodeId) {
        return brokers.stream().filter(b -> b.nodeId() == nodeId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no broker " + nodeId));
    }

    public List<ServiceInstance> instances(String service) {
        return List.copyOf(services.get(service));
    }

    public List<ServiceInstance> allInstances() {
        return services.values().stream().flatMap(List::stream).toList();
    }

    public HostNetwork network() {
        return network;
    }

    /** Stops PostgreSQL (fast shutdown: sessions are cut) and starts it again on the same data. */
    public synchronized void restartPostgres() {
        postgres.close();
        startPostgres();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the services, then the brokers, then the rest; removes every host and link. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        allInstances().parallelStream().forEach(instance -> {
            try {
                instance.stop();
            } catch (RuntimeException e) {
                LOG.warn("stopping {} failed: {}", instance, e.toString());
            }
        });
        brokers.parallelStream().forEach(Broker::stop);
        if (postgres != null) {
            postgres.close();
        }
        for (int i = infrastructure.size() - 1; i >= 0; i--) {
            try {
                infrastructure.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", infrastructure.get(i), e.toString());
            }
        }
        network.close();
    }
}
