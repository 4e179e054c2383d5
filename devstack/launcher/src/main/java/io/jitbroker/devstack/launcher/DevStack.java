package io.jitbroker.devstack.launcher;

import io.jitbroker.devstack.FreePorts;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.devstack.KafkaSecurity;
import io.jitbroker.devstack.KafkaAccess;
import io.jitbroker.contracts.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./jit-broker dev}: a real Kafka broker (KRaft), the Apicurio schema registry, PostgreSQL,
 * the dev identity provider and the four services, all on 127.0.0.1, started in one command and
 * stopped cleanly on Ctrl-C. Every run starts from empty data; logs stay in .devstack/logs.
 * PostgreSQL asks every role but {@code postgres} for its password, and holds the demo target
 * issuer-service hands out logins on ({@link DemoPostgresTarget}).
 */
public final class DevStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DevStack.class);
    public static final String READY_LINE = "jit-broker dev stack ready";
    private static final Duration SERVICE_START_TIMEOUT = Duration.ofSeconds(120);
    private static final int PARTITIONS = 3;
    /**
     * Small heaps, and the C1 compiler only: the dev stack runs six JVMs on what may be two cores,
     * where C2's compilations cost more CPU than its faster code saves (measured with bench flow:
     * 25-30% less service CPU per flow, a third less time to a credential in the first minute). A
     * deployment with a core or more per service keeps the JVM's default (tiered) compilation.
     */
    private static final List<String> SERVICE_JVM_OPTIONS = List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");

    private final DevStackOptions options;
    private final Infrastructure infrastructure;
    private final List<ServiceProcess> services;
    private volatile boolean closing;

    private DevStack(DevStackOptions options, Infrastructure infrastructure, List<ServiceProcess> services) {
        this.options = options;
        this.infrastructure = infrastructure;
        this.services = services;
    }

    public static void main(String[] args) throws InterruptedException {
        DevStackOptions options = DevStackOptions.fromEnvironment(System.getenv(), DevStackOptions.locateRepositoryRoot());
        long started = System.nanoTime();
        DevStack stack;
        try {
            stack = start(options);
        } catch (RuntimeException e) {
            LOG.error("jit-broker dev stack failed to start: {}", e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping jit-broker dev stack");
            stack.close();
            stopped.countDown();
        }, "devstack-shutdown"));
        stack.printUrls();
        LOG.info("{} in {} s (Ctrl-C to stop)", READY_LINE, String.format("%.1f", (System.nanoTime() - started) / 1e9));
        stack.watchServices();
        stopped.await();
    }

    /**
     * The services' JVM flags, plus JIT_DEV_SERVICE_JVM_OPTIONS (space-separated) for profiling, where
     * {service} names the service, e.g. -XX:StartFlightRecording=filename=/tmp/{service}.jfr.
     */
    public static List<String> serviceJvmOptions(String service) {
        List<String> jvmOptions = new ArrayList<>(SERVICE_JVM_OPTIONS);
        String extra = System.getenv("JIT_DEV_SERVICE_JVM_OPTIONS");
        if (extra != null && !extra.isBlank()) {
            for (String option : extra.trim().split("\\s+")) {
                jvmOptions.add(option.replace("{service}", service));
            }
        }
        return jvmOptions;
    }

    /** Starts everything and returns once every service answers /health. */
    public static DevStack start(DevStackOptions options) {
        DevStack stack = startInfrastructure(options);
        try {
            for (ServiceSpec spec : ServiceSpec.all(options)) {
                stack.services.add(ServiceProcess.start(spec, options.repositoryRoot(), stack.serviceEnvironment(spec),
                        options.logDir().resolve(spec.name() + ".log"), serviceJvmOptions(spec.name())));
            }
            for (ServiceProcess service : stack.services) {
                service.awaitHealthy(DevStackOptions.HOST, SERVICE_START_TIMEOUT);
                LOG.info("{} healthy on {}", service.spec().name(), service.spec().url(DevStackOptions.HOST));
            }
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /**
     * The infrastructure alone (Kafka with the topics, the registry with the schemas, PostgreSQL with
     * the services' databases and the demo target, the identity provider), for services run some other
     * way: their container images, for instance, each with {@link #serviceEnvironment}.
     */
    public static DevStack startInfrastructure(DevStackOptions options) {
        checkPortsFree(options);
        prepareWorkDir(options);
        Infrastructure.Options infraOptions = new Infrastructure.Options(DevStackOptions.HOST,
                options.kafkaPort(), options.registryPort(), options.postgresPort(), options.idpPort(),
                options.dataDir(), false, true).withPostgresPasswordAuthentication();
        if (options.secureKafka()) {
            infraOptions = infraOptions.withKafkaSecurity(KafkaSecurity.withRandomPasswords(KafkaAccess.aclBindings()));
        }
        Infrastructure infrastructure = Infrastructure.start(infraOptions);
        DevStack stack = new DevStack(options, infrastructure, new ArrayList<>());
        try {
            infrastructure.kafka().createTopics(Topics.newTopics(PARTITIONS, (short) 1));
            DemoPostgresTarget.create(infrastructure.postgres());
            for (ServiceSpec spec : ServiceSpec.all(options)) {
                if (spec.database() != null) {
                    infrastructure.postgres().createPrivateDatabase(spec.database());
                }
            }
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private static final String DEV_MASTER_KEY = randomMasterKey();

    /** The environment {@code spec}'s service runs with in this stack (the dev profile; it holds secrets: never log it). */
    public Map<String, String> serviceEnvironment(ServiceSpec spec) {
        return environmentFor(spec, options, infrastructure);
    }

    private static Map<String, String> environmentFor(ServiceSpec spec, DevStackOptions options, Infrastructure infra) {
        // With secure Kafka, the service's own SCRAM login (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*).
        Map<String, String> env = serviceEnvironment(spec, infra.serviceEnvironment(spec.name()), DevStackOptions.HOST,
                options.examplePolicy(), "http://" + DevStackOptions.HOST + ":" + options.issuerPort(),
                options.dataDir().resolve("streams").resolve(spec.name()), DEV_MASTER_KEY,
                spec.database() == null ? null : infra.postgres().jdbcUrl(spec.database()));
        if (spec.name().equals("issuer-service")) {
            env.putAll(DemoPostgresTarget.issuerEnvironment(infra.postgres()));
            // A laptop (or a loaded CI machine) pauses for seconds now and then: the dev stack gives its
            // revocation consumer longer before introspection fails closed than production's 3 s.
            env.put("JIT_ISSUER_REVOCATION_MAX_STALENESS", "10s");
        }
        return env;
    }

    /**
     * A service's environment in the dev profile, wherever its infrastructure runs (the dev stack, the
     * chaos harness's cluster): {@code infrastructure} says where Kafka, the registry and the identity
     * provider are; the rest is the dev profile's people, policy and secrets. It holds secrets: never log it.
     *
     * @param jdbcUrl the service's database, null for a service without one
     */
    public static Map<String, String> serviceEnvironment(ServiceSpec spec, Map<String, String> infrastructure, String httpHost,
                                                         Path policyFile, String issuerUrl, Path streamsStateDir,
                                                         String masterKey, String jdbcUrl) {
        Map<String, String> env = new LinkedHashMap<>(infrastructure);
        env.put("HTTP_HOST", httpHost);
        env.put("HTTP_PORT", Integer.toString(spec.port()));
        env.put("JIT_SRE_WORKLOADS", DevStackOptions.DEV_SRE_WORKLOAD);
        env.put("JIT_DETECTOR_WORKLOADS", DevStackOptions.DEV_DETECTOR_WORKLOAD);
        env.put("JIT_POLICY_FILE", policyFile.toString());
        env.put("JIT_POLICY_ADMINS", DevStackOptions.DEV_SRE_WORKLOAD);
        env.put("JIT_ISSUER_URL", issuerUrl);
        env.put("KAFKA_STREAMS_STATE_DIR", streamsStateDir.toString());
        if (spec.name().equals("issuer-service")) {
            // Encrypts the issuer's signing keys at rest. The dev stack's data lives for one run, so a
            // fresh random key per run; production reads it from a secret store.
            env.put("JIT_ISSUER_MASTER_KEY", masterKey);
        }
        if (jdbcUrl != null) {
            env.put("DATASOURCE_URL", jdbcUrl);
            env.put("DATASOURCE_USERNAME", "postgres");
            env.put("DATASOURCE_PASSWORD", "");
        }
        return env;
    }

    /** A random master key for the issuer's signing keys, for a stack whose data lives one run. */
    public static String randomMasterKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static void checkPortsFree(DevStackOptions options) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("request-service (JIT_DEV_PORT_REQUEST)", options.requestPort());
        ports.put("issuer-service (JIT_DEV_PORT_ISSUER)", options.issuerPort());
        ports.put("policy-service (JIT_DEV_PORT_POLICY)", options.policyPort());
        ports.put("revocation-service (JIT_DEV_PORT_REVOCATION)", options.revocationPort());
        ports.put("dev identity provider (JIT_DEV_PORT_IDP)", options.idpPort());
        ports.put("Kafka (JIT_DEV_PORT_KAFKA)", options.kafkaPort());
        ports.put("schema registry (JIT_DEV_PORT_REGISTRY)", options.registryPort());
        ports.put("PostgreSQL (JIT_DEV_PORT_POSTGRES)", options.postgresPort());
        ports.forEach((what, port) -> FreePorts.requireFree(DevStackOptions.HOST, port, what));
    }

    /** Each run starts from empty data, like a dev server should; old logs are replaced. */
    private static void prepareWorkDir(DevStackOptions options) {
        try {
            deleteRecursively(options.dataDir());
            Files.createDirectories(options.dataDir());
            Files.createDirectories(options.logDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + options.workDir(), e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    public Map<String, String> urls() {
        Map<String, String> urls = new LinkedHashMap<>();
        for (ServiceProcess service : services) {
            urls.put(service.spec().name(), service.spec().url(DevStackOptions.HOST));
        }
        urls.put("dev identity provider", infrastructure.identityProvider().issuer());
        urls.put("schema registry", infrastructure.registry().nativeApiUrl()
                + "  (Confluent API: " + infrastructure.registry().confluentApiUrl() + ")");
        urls.put("kafka", infrastructure.kafka().bootstrapServers());
        urls.put("postgresql", "postgresql://postgres@" + DevStackOptions.HOST + ":" + infrastructure.postgres().port());
        urls.put("demo target " + DemoPostgresTarget.TARGET, DemoPostgresTarget.describe(DevStackOptions.HOST,
                infrastructure.postgres()));
        return urls;
    }

    public Infrastructure infrastructure() {
        return infrastructure;
    }

    public DevStackOptions options() {
        return options;
    }

    private void printUrls() {
        urls().forEach((name, url) -> LOG.info("  {} {}", String.format("%-22s", name), url));
        LOG.info("  {} {}", String.format("%-22s", "logs"), options.logDir());
        LOG.info("  {} {}", String.format("%-22s", "SRE workload (dev)"), DevStackOptions.DEV_SRE_WORKLOAD);
        LOG.info("  {} {}", String.format("%-22s", "detector (dev)"), DevStackOptions.DEV_DETECTOR_WORKLOAD);
    }

    /** A service that dies after start is reported at once, with where to look. */
    private void watchServices() {
        for (ServiceProcess service : services) {
            service.process().onExit().thenAccept(p -> {
                if (!closing) {
                    LOG.error("{} exited with code {}; see {}", service.spec().name(), p.exitValue(), service.logFile());
                }
            });
        }
    }

    /** Stops the services first (they flush and leave their groups), then the infrastructure. */
    @Override
    public void close() {
        closing = true;
        services.parallelStream().forEach(ServiceProcess::close);
        infrastructure.close();
    }
}
