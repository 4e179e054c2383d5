package io.jitbroker.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.policy.domain.InvalidPolicyException;
import io.jitbroker.policy.domain.Policy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFactoryTest {

    private final PolicyFactory factory = new PolicyFactory();

    @Test
    void shouldDenyAllWhenNoPolicyFileIsConfigured() {
        // when
        Policy policy = factory.policy("");

        // then
        assertEquals(Policy.denyAll(), policy);
    }

    @Test
    void shouldLoadExampleWhenLocationIsOnClasspath() {
        // when
        Policy policy = factory.policy("classpath:policies/dev-example.yaml");

        // then
        assertEquals("2026-11-23.1", policy.version());
    }

    @Test
    void shouldLoadPolicyWhenLocationIsAFile(@TempDir Path dir) throws IOException {
        // given
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "version: \"file-1\"\nmaxTtlSeconds: 60\nenvironments: [dev]\nrules: []\n");

        // when
        Policy policy = factory.policy(file.toString());

        // then
        assertEquals("file-1", policy.version());
    }

    @Test
    void shouldFailWhenFileDoesNotExist(@TempDir Path dir) {
        // given
        String missing = dir.resolve("missing.yaml").toString();

        // when
        InvalidPolicyException error = assertThrows(InvalidPolicyException.class, () -> factory.policy(missing));

        // then
        assertEquals("policy file " + missing + " does not exist", error.getMessage());
    }

    @Test
    void shouldFailWhenClasspathResourceDoesNotExist() {
        // when
        InvalidPolicyException error = assertThrows(InvalidPolicyException.class,
                () -> factory.policy("classpath:policies/nope.yaml"));

        // then
        assertEquals("policy classpath:policies/nope.yaml not found on the classpath", error.getMessage());
    }

    @Test
    void shouldNameFileAndFieldWhenFileIsInvalid(@TempDir Path dir) throws IOException {
        // given
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "version: \"file-1\"\nmaxTtlSeconds: ten\nenvironments: [dev]\nrules: []\n");

        // when
        InvalidPolicyException error = assertThrows(InvalidPolicyException.class, () -> factory.policy(file.toString()));

        // then
        assertTrue(error.getMessage().startsWith("policy " + file + " is invalid: maxTtlSeconds: must be a positive whole number"),
                error.getMessage());
    }
}
