package io.jitbroker.devstack.launcher;

import io.jitbroker.devstack.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the dev stack binds and keeps its files. Everything binds to 127.0.0.1; each port can be
 * overridden with an environment variable (JIT_DEV_PORT_REQUEST and so on).
 */
public record DevStackOptions(Path repositoryRoot, Path workDir, int requestPort, int issuerPort, int policyPort,
                              int revocationPort, int idpPort, int kafkaPort, int registryPort, int postgresPort,
                              boolean secureKafka) {

    /** Kafka without authentication (the default dev stack). */
    public DevStackOptions(Path repositoryRoot, Path workDir, int requestPort, int issuerPort, int policyPort,
                           int revocationPort, int idpPort, int kafkaPort, int registryPort, int postgresPort) {
        this(repositoryRoot, workDir, requestPort, issuerPort, policyPort, revocationPort, idpPort, kafkaPort,
                registryPort, postgresPort, false);
    }

    /**
     * Kafka as in production: every service logs in with SASL/SCRAM as its own user and may do only
     * what its ACLs allow (io.jitbroker.devstack.KafkaAccess).
     */
    public DevStackOptions withSecureKafka() {
        return new DevStackOptions(repositoryRoot, workDir, requestPort, issuerPort, policyPort, revocationPort,
                idpPort, kafkaPort, registryPort, postgresPort, true);
    }

    public static final String HOST = "127.0.0.1";
    public static final String DEV_SRE_WORKLOAD = "spiffe://dev.local/sre/oncall";
    public static final String DEV_DETECTOR_WORKLOAD = "spiffe://dev.local/detector/edr";

    /**
     * The defaults of the README, each overridable from the environment; JIT_DEV_WORK_DIR moves the
     * stack's data and logs out of .devstack (a benchmark runs its own stack beside a dev stack).
     */
    public static DevStackOptions fromEnvironment(Map<String, String> env, Path repositoryRoot) {
        String workDir = env.get("JIT_DEV_WORK_DIR");
        return new DevStackOptions(repositoryRoot,
                workDir == null || workDir.isBlank() ? repositoryRoot.resolve(".devstack") : Path.of(workDir.trim()),
                port(env, "JIT_DEV_PORT_REQUEST", 8080),
                port(env, "JIT_DEV_PORT_ISSUER", 8081),
                port(env, "JIT_DEV_PORT_POLICY", 8082),
                port(env, "JIT_DEV_PORT_REVOCATION", 8083),
                port(env, "JIT_DEV_PORT_IDP", 8086),
                port(env, "JIT_DEV_PORT_KAFKA", 9092),
                port(env, "JIT_DEV_PORT_REGISTRY", 8085),
                port(env, "JIT_DEV_PORT_POSTGRES", 5433),
                "true".equalsIgnoreCase(env.getOrDefault("JIT_DEV_KAFKA_SECURE", "false").trim()));
    }

    /** Every port a free one: for tests that run a whole stack beside a dev stack or another test's. */
    public static DevStackOptions onFreePorts(Path repositoryRoot, Path workDir) {
        return new DevStackOptions(repositoryRoot, workDir, FreePorts.find(), FreePorts.find(), FreePorts.find(),
                FreePorts.find(), FreePorts.find(), FreePorts.find(), FreePorts.find(), FreePorts.find());
    }

    private static int port(Map<String, String> env, String name, int defaultPort) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return defaultPort;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number between 1 and 65535, got '" + value + "'");
        }
    }

    /** Finds the repository root: -Djit.home, else the nearest directory above the working dir with devstack/. */
    public static Path locateRepositoryRoot() {
        String home = System.getProperty("jit.home");
        if (home != null) {
            return Path.of(home).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("devstack")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the jit-broker repository root; run from inside it or pass -Djit.home=<dir>");
    }

    public Path dataDir() {
        return workDir.resolve("data");
    }

    public Path logDir() {
        return workDir.resolve("logs");
    }

    public Path examplePolicy() {
        return repositoryRoot.resolve("policy-service/src/main/resources/policies/dev-example.yaml");
    }
}
