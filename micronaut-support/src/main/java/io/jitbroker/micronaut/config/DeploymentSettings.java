package io.jitbroker.micronaut.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a service must be told outside the dev profile, because no safe default exists: who issues
 * workload tokens and where their keys are, how to reach Kafka and log in to it, the database
 * credentials, the schema registry, and the TLS key store of its HTTP listener. {@link #problems} names every setting that is missing or
 * insecure, by its environment variable and its property, so that a deployment that forgot one
 * stops at once instead of running with a dev setting.
 */
public final class DeploymentSettings {

    /** Kafka protocols that authenticate the client (PLAINTEXT lets anyone on the network act as a service). */
    static final Set<String> SECURE_KAFKA_PROTOCOLS = Set.of("SASL_SSL", "SASL_PLAINTEXT", "SSL");

    static final String JWKS_PREFIX = "micronaut.security.token.jwt.signatures.jwks";

    private DeploymentSettings() {
    }

    /**
     * @param property  a configuration property's resolved value, empty when unset
     * @param jwksUrls  the configured JWKS URLs (values of {@code <JWKS_PREFIX>.<name>.url}), by name
     * @return one line per missing or insecure setting; empty when the service may start
     */
    public static List<String> problems(Function<String, Optional<String>> property, Map<String, String> jwksUrls) {
        List<String> problems = new ArrayList<>();
        requireSet(problems, property, "KAFKA_BOOTSTRAP_SERVERS", "kafka.bootstrap.servers");
        String protocol = property.apply("kafka.security.protocol").orElse("");
        if (!SECURE_KAFKA_PROTOCOLS.contains(protocol)) {
            problems.add("KAFKA_SECURITY_PROTOCOL (kafka.security.protocol) is '" + protocol
                    + "': Kafka must be reached with SASL_SSL, SASL_PLAINTEXT or SSL, as the service's own principal");
        } else if (protocol.startsWith("SASL_")) {
            requireSet(problems, property, "KAFKA_SASL_JAAS_CONFIG", "kafka.sasl.jaas.config");
        }
        requireSet(problems, property, "SCHEMA_REGISTRY_URL", "jit.schema-registry.url");
        if (property.apply("micronaut.security.enabled").map(Boolean::parseBoolean).orElse(false)) {
            requireSet(problems, property, "JIT_AUTH_ISSUER", "micronaut.security.token.jwt.claims-validators.issuer");
            if (jwksUrls.isEmpty() || jwksUrls.values().stream().anyMatch(String::isBlank)) {
                problems.add("JIT_AUTH_JWKS_URL (" + JWKS_PREFIX + ".*.url) is not set");
            }
        }
        if (!property.apply("micronaut.server.ssl.enabled").map(Boolean::parseBoolean).orElse(false)) {
            problems.add("JIT_TLS_ENABLED (micronaut.server.ssl.enabled) is not true: the HTTP listener must serve TLS");
        } else {
            requireFile(problems, property, "JIT_TLS_KEY_STORE", "micronaut.server.ssl.key-store.path");
            requireSet(problems, property, "JIT_TLS_KEY_STORE_PASSWORD", "micronaut.server.ssl.key-store.password");
            if (property.apply("micronaut.server.ssl.client-authentication").filter(value -> !value.isBlank()).isPresent()) {
                requireFile(problems, property, "MICRONAUT_SERVER_SSL_TRUST_STORE_PATH", "micronaut.server.ssl.trust-store.path");
            }
        }
        if (property.apply("datasources.default.driver-class-name").isPresent()) {
            requireSet(problems, property, "DATASOURCE_URL", "datasources.default.url");
            requireSet(problems, property, "DATASOURCE_USERNAME", "datasources.default.username");
            requireSet(problems, property, "DATASOURCE_PASSWORD", "datasources.default.password");
        }
        return problems;
    }

    /** A resource location, set in application.yml as {@code file:${VARIABLE:}}: {@code file:} alone is unset. */
    private static void requireFile(List<String> problems, Function<String, Optional<String>> property,
                                    String variable, String name) {
        if (property.apply(name).map(value -> value.replaceFirst("^file:", "")).filter(value -> !value.isBlank()).isEmpty()) {
            problems.add(variable + " (" + name + ") is not set");
        }
    }

    private static void requireSet(List<String> problems, Function<String, Optional<String>> property,
                                   String variable, String name) {
        if (property.apply(name).filter(value -> !value.isBlank()).isEmpty()) {
            problems.add(variable + " (" + name + ") is not set");
        }
    }
}
