package io.jitbroker.devstack.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus alerting rules (deploy/prometheus/alerts.yml) are valid, fire on what should wake
 * someone and stay quiet otherwise (promtool, from Debian's prometheus package, installed by .ci/run),
 * and every alert's runbook link leads to a heading of the operating guide.
 */
class AlertRulesTest {

    private static final Path ROOT = DevStackOptions.locateRepositoryRoot();
    private static final Path RULES_DIR = ROOT.resolve("deploy/prometheus");
    private static final Pattern ALERT = Pattern.compile("^\\s*- alert: (\\w+)$", Pattern.MULTILINE);
    private static final Pattern RUNBOOK = Pattern.compile("runbook_url: docs/OPERATIONS\\.md#([a-z0-9-]+)");

    @Test
    void shouldPassPromtoolsCheckAndUnitTests() throws Exception {
        // when
        String check = promtool("check", "rules", "alerts.yml");
        String test = promtool("test", "rules", "alerts-test.yml");

        // then
        assertTrue(check.contains("SUCCESS"), check);
        assertTrue(test.contains("SUCCESS"), test);
    }

    @Test
    void shouldLinkEveryAlertToItsHeadingInTheOperatingGuide() throws IOException {
        // given
        String rules = Files.readString(RULES_DIR.resolve("alerts.yml"));
        String guide = Files.readString(ROOT.resolve("docs/OPERATIONS.md"));
        List<String> alerts = ALERT.matcher(rules).results().map(m -> m.group(1)).toList();
        List<String> runbooks = RUNBOOK.matcher(rules).results().map(m -> m.group(1)).toList();

        // then
        assertFalse(alerts.isEmpty(), "no alerts found");
        assertEquals(alerts.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList(), runbooks,
                "each alert links to the heading named after it");
        for (String alert : alerts) {
            assertTrue(guide.contains("\n#### " + alert + "\n"), "docs/OPERATIONS.md has no heading #### " + alert);
        }
    }

    private static String promtool(String... args) {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        ExternalCommand run = ExternalCommand.run(RULES_DIR, Duration.ofSeconds(60),
                "apt-get install prometheus; .ci/run installs it", command);
        assertEquals(0, run.exitCode(), String.join(" ", command) + ":\n" + run.output());
        return run.output();
    }
}
