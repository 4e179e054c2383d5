package io.jitbroker.micronaut.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeploymentSettingsTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"x\" password=\"y\";";

    /** A service with HTTP security and a database, configured as the compose deployment configures it. */
    private static Map<String, String> production() {
        Map<String, String> properties = new HashMap<>();
        properties.put("kafka.bootstrap.servers", "kafka:9092");
        properties.put("kafka.security.protocol", "SASL_SSL");
        properties.put("kafka.sasl.jaas.config", JAAS);
        properties.put("jit.schema-registry.url", "https://registry:8080/apis/registry/v2");
        properties.put("micronaut.security.enabled", "true");
        properties.put("micronaut.security.token.jwt.claims-validators.issuer", "https://spire.example");
        properties.put("datasources.default.driver-class-name", "org.postgresql.Driver");
        properties.put("datasources.default.url", "jdbc:postgresql://postgres:5432/request_service");
        properties.put("datasources.default.username", "request_service");
        properties.put("datasources.default.password", "s3cret");
        properties.put("micronaut.server.ssl.enabled", "true");
        properties.put("micronaut.server.ssl.key-store.path", "file:/etc/jit-broker/tls/request-service.p12");
        properties.put("micronaut.server.ssl.key-store.password", "s3cret");
        return properties;
    }

    private static List<String> problems(Map<String, String> properties, Map<String, String> jwksUrls) {
        return DeploymentSettings.problems(name -> Optional.ofNullable(properties.get(name)), jwksUrls);
    }

    private static final Map<String, String> JWKS = Map.of("workload-identity.url", "https://spire.example/keys");

    @Test
    void shouldAcceptAProductionConfiguration() {
        // when
        List<String> problems = problems(production(), JWKS);

        // then
        assertEquals(List.of(), problems);
    }

    @Test
    void shouldNameEveryMissingSettingWhenNothingIsConfigured() {
        // given: what application.yml leaves when no variable is set (empty placeholders, PLAINTEXT)
        Map<String, String> properties = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", "", "kafka.security.protocol", "PLAINTEXT", "jit.schema-registry.url", "",
                "micronaut.security.enabled", "true", "micronaut.security.token.jwt.claims-validators.issuer", "",
                "datasources.default.driver-class-name", "org.postgresql.Driver", "datasources.default.url", "",
                "datasources.default.username", "", "datasources.default.password", "",
                "micronaut.server.ssl.enabled", "false"));

        // when
        List<String> problems = problems(properties, Map.of("workload-identity.url", ""));

        // then
        assertEquals(List.of(
                "KAFKA_BOOTSTRAP_SERVERS (kafka.bootstrap.servers) is not set",
                "KAFKA_SECURITY_PROTOCOL (kafka.security.protocol) is 'PLAINTEXT': Kafka must be reached with SASL_SSL, "
                        + "SASL_PLAINTEXT or SSL, as the service's own principal",
                "SCHEMA_REGISTRY_URL (jit.schema-registry.url) is not set",
                "JIT_AUTH_ISSUER (micronaut.security.token.jwt.claims-validators.issuer) is not set",
                "JIT_AUTH_JWKS_URL (micronaut.security.token.jwt.signatures.jwks.*.url) is not set",
                "JIT_TLS_ENABLED (micronaut.server.ssl.enabled) is not true: the HTTP listener must serve TLS",
                "DATASOURCE_URL (datasources.default.url) is not set",
                "DATASOURCE_USERNAME (datasources.default.username) is not set",
                "DATASOURCE_PASSWORD (datasources.default.password) is not set"), problems);
    }

    @Test
    void shouldRequireTheKeyStoreWhenTlsIsOn() {
        // given: TLS on, the key store left as application.yml has it when JIT_TLS_KEY_STORE is unset
        Map<String, String> properties = production();
        properties.put("micronaut.server.ssl.key-store.path", "file:");
        properties.remove("micronaut.server.ssl.key-store.password");

        // when
        List<String> problems = problems(properties, JWKS);

        // then
        assertEquals(List.of("JIT_TLS_KEY_STORE (micronaut.server.ssl.key-store.path) is not set",
                "JIT_TLS_KEY_STORE_PASSWORD (micronaut.server.ssl.key-store.password) is not set"), problems);
    }

    @Test
    void shouldRequireTheClientCaWhenMutualTlsIsOn() {
        // given
        Map<String, String> properties = production();
        properties.put("micronaut.server.ssl.client-authentication", "NEED");
        properties.put("micronaut.server.ssl.trust-store.path", "file:");

        // when
        List<String> problems = problems(properties, JWKS);

        // then
        assertEquals(List.of("MICRONAUT_SERVER_SSL_TRUST_STORE_PATH (micronaut.server.ssl.trust-store.path) is not set"), problems);
    }

    @Test
    void shouldRequireTheJaasLineWhenKafkaUsesSasl() {
        // given
        Map<String, String> properties = production();
        properties.remove("kafka.sasl.jaas.config");

        // when
        List<String> problems = problems(properties, JWKS);

        // then
        assertEquals(List.of("KAFKA_SASL_JAAS_CONFIG (kafka.sasl.jaas.config) is not set"), problems);
    }

    @Test
    void shouldAcceptTlsClientAuthenticationWithoutJaas() {
        // given: mutual TLS to Kafka: the certificate is the principal
        Map<String, String> properties = production();
        properties.put("kafka.security.protocol", "SSL");
        properties.remove("kafka.sasl.jaas.config");

        // when
        List<String> problems = problems(properties, JWKS);

        // then
        assertEquals(List.of(), problems);
    }

    @Test
    void shouldNotAskForIdentityOrDatabaseWhereTheServiceHasNone() {
        // given: the revoker: no HTTP security, no datasource
        Map<String, String> properties = production();
        properties.keySet().removeIf(name -> name.startsWith("micronaut.security") || name.startsWith("datasources"));

        // when
        List<String> problems = problems(properties, Map.of());

        // then
        assertEquals(List.of(), problems);
    }

    @Test
    void shouldRefuseWhenNoJwksIsConfigured() {
        // when
        List<String> problems = problems(production(), Map.of());

        // then
        assertEquals(List.of("JIT_AUTH_JWKS_URL (micronaut.security.token.jwt.signatures.jwks.*.url) is not set"), problems);
    }
}
