package io.jitbroker.devstack;

import io.jitbroker.kafka.SchemaDeployment;
import io.jitbroker.contracts.Topics;
import java.time.Duration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * Everything the services need around them, started for real: Kafka (KRaft, in this JVM), the
 * Apicurio schema registry (child process), PostgreSQL (child process) and the dev identity
 * provider. Used by the dev stack and by integration tests; closes in reverse start order.
 */
public final class Infrastructure implements AutoCloseable {

    /**
     * Where each piece runs; port 0 means a free port. A temporary stack keeps its data in a fresh
     * directory deleted on close; otherwise the data lives in {@code dataDir} across restarts.
     * {@code kafkaSecurity} null (the default) runs Kafka plaintext and open to all; otherwise
     * clients must log in with SASL/SCRAM and the broker enforces its ACLs.
     * {@code postgresPasswordAuthentication} false (the default) lets every role log in to PostgreSQL
     * without a password; true asks every role but {@code postgres} for its SCRAM password.
     */
    public record Options(String host, int kafkaPort, int registryPort, int postgresPort, int idpPort,
                          Path dataDir, boolean temporary, boolean withPostgres, KafkaSecurity kafkaSecurity,
                          boolean postgresPasswordAuthentication) {

        /** Kafka without authentication, as before security existed. */
        public Options(String host, int kafkaPort, int registryPort, int postgresPort, int idpPort,
                       Path dataDir, boolean temporary, boolean withPostgres) {
            this(host, kafkaPort, registryPort, postgresPort, idpPort, dataDir, temporary, withPostgres, null, false);
        }

        /** Free ports and throwaway data: what a test wants. */
        public static Options forTests() {
            return new Options("127.0.0.1", 0, 0, 0, 0, null, true, true);
        }

        public Options withoutPostgres() {
            return new Options(host, kafkaPort, registryPort, postgresPort, idpPort, dataDir, temporary, false,
                    kafkaSecurity, postgresPasswordAuthentication);
        }

        /** Kafka authenticates these users and enforces these ACLs (see io.jitbroker.devstack.KafkaAccess). */
        public Options withKafkaSecurity(KafkaSecurity security) {
            return new Options(host, kafkaPort, registryPort, postgresPort, idpPort, dataDir, temporary, withPostgres,
                    Objects.requireNonNull(security, "security"), postgresPasswordAuthentication);
        }

        /** Every PostgreSQL role but {@code postgres} logs in with its password, so passwords and VALID UNTIL count. */
        public Options withPostgresPasswordAuthentication() {
            return new Options(host, kafkaPort, registryPort, postgresPort, idpPort, dataDir, temporary, withPostgres,
                    kafkaSecurity, true);
        }
    }

    private static final Duration SCHEMA_REGISTRATION_TIMEOUT = Duration.ofSeconds(60);

    private final List<AutoCloseable> started = new ArrayList<>();
    private EmbeddedKafka kafka;
    private SchemaRegistryProcess registry;
    private EmbeddedPostgresServer postgres;
    private DevIdentityProvider identityProvider;

    private Infrastructure() {
    }

    public static Infrastructure startForTests() {
        return start(Options.forTests());
    }

    public static Infrastructure start(Options options) {
        Objects.requireNonNull(options, "options");
        Infrastructure infra = new Infrastructure();
        try {
            Path dataDir = options.temporary()
                    ? Files.createTempDirectory("jit-infra-")
                    : Files.createDirectories(options.dataDir());
            if (options.temporary()) {
                infra.started.add(() -> Directories.deleteRecursively(dataDir));
            }
            infra.kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), options.kafkaPort(), false,
                    options.kafkaSecurity());
            infra.started.add(infra.kafka);
            infra.registry = SchemaRegistryProcess.start(SchemaRegistryProcess.locateApp(), options.host(),
                    options.registryPort(), dataDir.resolve("schema-registry.log"));
            infra.started.add(infra.registry);
            // The deploy step, as production runs it: compatibility rules, then every schema registered
            // one at a time, before any client produces (services never register).
            SchemaDeployment.deploy(infra.registry.nativeApiUrl(), Topics.ALL, SCHEMA_REGISTRATION_TIMEOUT);
            if (options.withPostgres()) {
                infra.postgres = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), options.postgresPort(), false,
                        options.postgresPasswordAuthentication());
                infra.started.add(infra.postgres);
            }
            infra.identityProvider = DevIdentityProvider.start(options.host(), options.idpPort());
            infra.started.add(infra.identityProvider);
            return infra;
        } catch (IOException e) {
            infra.close();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            infra.close();
            throw new IllegalStateException("interrupted while starting the infrastructure", e);
        } catch (RuntimeException e) {
            infra.close();
            throw e;
        }
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public SchemaRegistryProcess registry() {
        return registry;
    }

    public EmbeddedPostgresServer postgres() {
        if (postgres == null) {
            throw new IllegalStateException("started without PostgreSQL");
        }
        return postgres;
    }

    public DevIdentityProvider identityProvider() {
        return identityProvider;
    }

    /**
     * The environment variables every service reads to find this infrastructure (see
     * docs/ARCHITECTURE.md, "Configuration"), and the dev profile: outside it a service refuses
     * the dev stack's plaintext Kafka and password-less database (docs/OPERATIONS.md, "Fail closed").
     */
    public Map<String, String> serviceEnvironment() {
        return serviceEnvironment(kafka.bootstrapServers(), registry.nativeApiUrl(), identityProvider);
    }

    /** The same for infrastructure started some other way (the chaos harness's cluster). */
    public static Map<String, String> serviceEnvironment(String kafkaBootstrapServers, String registryUrl,
                                                         DevIdentityProvider identityProvider) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MICRONAUT_ENVIRONMENTS", "dev");
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers);
        env.put("SCHEMA_REGISTRY_URL", registryUrl);
        env.put("JIT_AUTH_JWKS_URL", identityProvider.jwksUrl());
        env.put("JIT_AUTH_ISSUER", identityProvider.issuer());
        env.put("JIT_AUTH_AUDIENCE", identityProvider.audience());
        return env;
    }

    /**
     * {@link #serviceEnvironment()} plus, when Kafka is secure, how {@code service} logs in to it:
     * {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM} and {@code KAFKA_SASL_JAAS_CONFIG}
     * (which holds the password: never log it).
     */
    public Map<String, String> serviceEnvironment(String service) {
        Map<String, String> env = serviceEnvironment();
        if (kafka.secure()) {
            env.putAll(kafkaLoginEnvironment(kafka.clientConfig(service)));
        }
        return env;
    }

    /**
     * How a service logs in to a secure Kafka, from a client config ({@link KafkaSecurity#clientConfig}):
     * {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM} and {@code KAFKA_SASL_JAAS_CONFIG}
     * (which holds the password: never log it).
     */
    public static Map<String, String> kafkaLoginEnvironment(Map<String, Object> clientConfig) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_SECURITY_PROTOCOL", (String) clientConfig.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG));
        env.put("KAFKA_SASL_MECHANISM", (String) clientConfig.get(SaslConfigs.SASL_MECHANISM));
        env.put("KAFKA_SASL_JAAS_CONFIG", (String) clientConfig.get(SaslConfigs.SASL_JAAS_CONFIG));
        return env;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Infrastructure.class).warn("failed to stop {}", started.get(i), e);
            }
        }
        started.clear();
    }
}
