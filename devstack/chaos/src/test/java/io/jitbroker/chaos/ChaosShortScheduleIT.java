package io.jitbroker.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jitbroker.chaos.check.CheckResult;
import io.jitbroker.chaos.net.HostNetwork;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The short chaos schedule, as {@code ./jit-broker chaos} runs it: the cluster of hosts, six faults
 * under load, and the independent checker. Asserts the promises (nothing lost, nothing doubled, no
 * credential active past the limit after its revocation could be read, no unexpected dead letter,
 * the ledger agreeing with the topics) and that the cluster came back after every fault. How fast it
 * came back is a figure of the run's report, not an assertion (this machine is shared and noisy).
 */
class ChaosShortScheduleIT {

    @Test
    void shouldKeepEveryPromiseThroughTheShortSchedule() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "network namespaces need root (CI runs as root)");
        ByteArrayOutputStream report = new ByteArrayOutputStream();

        // when
        ChaosResult result;
        try (PrintStream out = new PrintStream(report, true, StandardCharsets.UTF_8)) {
            result = Chaos.run(ChaosOptions.parse(List.of("--schedule", "short")), out);
        }

        // then
        String printed = report.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        CheckResult verdict = result.verdict();
        assertEquals(6, result.faults().size(), printed);
        assertTrue(verdict.accepted() > 0, printed);
        assertEquals(0, verdict.lost(), printed);
        assertEquals(0, verdict.doubled(), printed);
        assertTrue(verdict.staleActiveMaxMs() <= CheckResult.STALE_ACTIVE_LIMIT_MS, printed);
        assertEquals(0, verdict.unexpectedDeadLetters(), printed);
        assertEquals(0, verdict.ledgerMismatches(), printed);
        assertTrue(result.allRecovered(), printed);
        assertEquals(List.of(), HostNetwork.leftovers(), "every namespace and link is removed after the run");
    }
}
