package io.jitbroker.policy.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.policy.domain.InvalidPolicyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapPolicyFileTest {

    @Test
    void shouldHaveNoBootstrapFileWhenNoneIsConfigured() {
        // when
        BootstrapPolicyFile file = BootstrapPolicyFile.read("");

        // then
        assertFalse(file.isConfigured());
    }

    @Test
    void shouldLoadExampleWhenLocationIsOnClasspath() {
        // when
        BootstrapPolicyFile file = BootstrapPolicyFile.read("classpath:policies/dev-example.yaml");

        // then
        assertEquals("2026-11-23.1", file.policy().version());
        assertEquals("policy-service bootstrap from classpath:policies/dev-example.yaml", file.publisher());
    }

    @Test
    void shouldKeepTheDocumentAsWrittenWhenLocationIsAFile(@TempDir Path dir) throws IOException {
        // given
        Path file = dir.resolve("policy.yaml");
        String document = "# comments are part of the document\nversion: \"file-1\"\nmaxTtlSeconds: 60\nenvironments: [dev]\nrules: []\n";
        Files.writeString(file, document);

        // when
        BootstrapPolicyFile bootstrap = BootstrapPolicyFile.read(file.toString());

        // then
        assertEquals("file-1", bootstrap.policy().version());
        assertEquals(document, bootstrap.document());
        assertEquals(file.toString(), bootstrap.location());
    }

    @Test
    void shouldFailWhenFileDoesNotExist(@TempDir Path dir) {
        // given
        String missing = dir.resolve("missing.yaml").toString();

        // when
        InvalidPolicyException error = assertThrows(InvalidPolicyException.class, () -> BootstrapPolicyFile.read(missing));

        // then
        assertEquals("policy file " + missing + " does not exist", error.getMessage());
    }

    @Test
    void shouldFailWhenClasspathResourceDoesNotExist() {
        // when
        InvalidPolicyException error = assertThrows(InvalidPolicyException.class,
                () -> BootstrapPolicyFile.read("classpath:policies/nope.yaml"));

        // then
        assertEquals("policy classpath:policies/nope.yaml not found on the classpath", error.getMessage());
    }

    @Test
    void shouldNameFileLineAndFieldWhenFileIsInvalid(@TempDir Path dir) throws IOException {
        // given
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "version: \"file-1\"\nmaxTtlSeconds: ten\nenvironments: [dev]\nrules: []\n");

        // when
        InvalidBundleException error = assertThrows(InvalidBundleException.class,
                () -> BootstrapPolicyFile.read(file.toString()));

        // then
        assertEquals(OptionalInt.of(2), error.line());
        assertTrue(error.getMessage().startsWith("line 2: policy " + file + " is invalid: maxTtlSeconds: must be a positive whole number"),
                error.getMessage());
    }
}
