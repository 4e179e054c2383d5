package io.jitbroker.devstack.launcher;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.devstack.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each service, started as its own JVM outside the dev profile and told nothing, refuses to start and
 * names every setting it lacks, instead of running with a dev default (docs/OPERATIONS.md, "Fail closed").
 */
class FailClosedConfigurationIT {

    private static final List<String> KAFKA_REGISTRY_AND_TLS = List.of(
            "KAFKA_BOOTSTRAP_SERVERS (kafka.bootstrap.servers) is not set",
            "KAFKA_SECURITY_PROTOCOL (kafka.security.protocol) is 'PLAINTEXT'",
            "SCHEMA_REGISTRY_URL (jit.schema-registry.url) is not set",
            "JIT_TLS_ENABLED (micronaut.server.ssl.enabled) is not true");
    private static final List<String> IDENTITY = List.of(
            "JIT_AUTH_ISSUER (micronaut.security.token.jwt.claims-validators.issuer) is not set",
            "JIT_AUTH_JWKS_URL (micronaut.security.token.jwt.signatures.jwks.*.url) is not set");
    private static final List<String> DATABASE = List.of(
            "DATASOURCE_URL (datasources.default.url) is not set",
            "DATASOURCE_USERNAME (datasources.default.username) is not set",
            "DATASOURCE_PASSWORD (datasources.default.password) is not set");

    static Stream<Arguments> services() {
        return Stream.of(
                Arguments.of("request-service", concat(KAFKA_REGISTRY_AND_TLS, IDENTITY, DATABASE)),
                Arguments.of("policy-service", concat(KAFKA_REGISTRY_AND_TLS, IDENTITY)),
                Arguments.of("issuer-service", concat(KAFKA_REGISTRY_AND_TLS, IDENTITY, DATABASE)),
                Arguments.of("revocation-service", KAFKA_REGISTRY_AND_TLS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void shouldRefuseToStartNamingEveryMissingSettingWhenStartedOutsideTheDevProfile(String name, List<String> expected,
                                                                                     @TempDir Path logDir)
            throws IOException, InterruptedException {
        // given: a production profile and none of the deployment's settings (only where to listen)
        ServiceSpec spec = ServiceSpec.all(DevStackOptions.fromEnvironment(Map.of(), DevStackOptions.locateRepositoryRoot()))
                .stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        Map<String, String> environment = Map.of("MICRONAUT_ENVIRONMENTS", "production",
                "HTTP_PORT", Integer.toString(FreePorts.find()));

        // when
        try (ServiceProcess service = ServiceProcess.start(spec, DevStackOptions.locateRepositoryRoot(), environment,
                logDir.resolve(name + ".log"), List.of())) {
            boolean exited = service.process().waitFor(90, TimeUnit.SECONDS);

            // then: it stopped on its own, unsuccessfully, and the refusal names each setting
            assertTrue(exited, name + " did not stop; log:\n" + service.tail(40));
            assertNotEquals(0, service.process().exitValue());
            String log = Files.readString(service.logFile());
            assertTrue(log.contains("Refusing to start: "), name + " gave another reason:\n" + service.tail(40));
            for (String problem : expected) {
                assertTrue(log.contains(problem), name + " did not name: " + problem + "\n" + service.tail(40));
            }
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return Stream.of(lists).flatMap(List::stream).toList();
    }
}
