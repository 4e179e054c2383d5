package io.jitbroker.devstack.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitbroker.devstack.launcher.WalkthroughDocs.WalkthroughPath;
import io.jitbroker.jitctl.JitctlProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The walkthrough runs as written, so the docs cannot drift from the code: the bash blocks of
 * README.md's path, then of each path of docs/WALKTHROUGH.md, against a fresh dev stack (its
 * addresses rewritten to the ports the stack got), each path in {@code bash -euo pipefail}, and what
 * the comments say each path shows is checked on what it printed. The paths run in the order the
 * docs give, one shell state carried from each to the next, as a reader's terminal would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkthroughIT {

    private static final Path ROOT = DevStackOptions.locateRepositoryRoot();
    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    /** The paths of docs/WALKTHROUGH.md this test knows what to expect of. */
    private static final List<String> CHECKED_PATHS = List.of(
            "Denied: the same request in prod",
            "TTL: a 3-second grant is revoked on its own",
            "PostgreSQL: a login for one table, ended with the task",
            "Approval, break-glass, a new policy version",
            "An SRE revokes by hand; a detector reports a compromise",
            "Refusals");

    private static TestStack stack;
    private static WalkthroughShell shell;
    private static Map<Integer, Integer> ports;
    private static Path jitctl;

    @BeforeAll
    static void startStack() throws IOException {
        stack = TestStack.start("walkthrough-it");
        shell = new WalkthroughShell(Files.createDirectories(stack.options().workDir().resolve("walkthrough")));
        ports = WalkthroughDocs.ports(DevStackOptions.fromEnvironment(Map.of(), ROOT), stack.options());
        jitctl = writeJitctl(stack.options().workDir().resolve("walkthrough"));
    }

    /**
     * What {@code ./jitctl} is for a reader of the dev stack, for this stack: the jitctl the reactor built,
     * with the stack's addresses where jitctl would take the dev stack's defaults.
     */
    private static Path writeJitctl(Path dir) throws IOException {
        DevStackOptions options = stack.options();
        String script = "#!/usr/bin/env bash\n"
                + "export JIT_REQUEST_URL=http://127.0.0.1:" + options.requestPort() + "\n"
                + "export JIT_ISSUER_URL=http://127.0.0.1:" + options.issuerPort() + "\n"
                + "export JIT_POLICY_URL=http://127.0.0.1:" + options.policyPort() + "\n"
                + "export JIT_DEV_IDP_URL=http://127.0.0.1:" + options.idpPort() + "\n"
                + "exec " + JitctlProcess.command().stream().map(arg -> "'" + arg + "'").collect(Collectors.joining(" "))
                + " \"$@\"\n";
        Path file = dir.resolve("jitctl");
        Files.writeString(file, script);
        file.toFile().setExecutable(true);
        return file;
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(0)
    void shouldKnowWhatEveryPathShowsWhenTheWalkthroughListsItsPaths() {
        // when
        List<String> titles = WalkthroughDocs.otherPaths(ROOT).stream().map(WalkthroughPath::title).toList();

        // then: a new path needs its expectations here
        assertEquals(CHECKED_PATHS, titles, WalkthroughDocs.WALKTHROUGH + " has other paths than WalkthroughIT checks");
    }

    @Test
    @Order(1)
    void shouldRunTheCommandThenRevokeWithTaskCompletedWhenTheReadmePathRuns() {
        // when
        WalkthroughShell.Run run = run(WalkthroughDocs.readmePath(ROOT));

        // then, with jitctl: the command ran with the credential and its task's grant was revoked
        List<JsonNode> json = run.json();
        assertTrue(run.output().contains("deploying with grant "), run.output());
        JsonNode ranWithJitctl = first(run, json, node -> "deploy-41".equals(node.path("taskId").asText()));
        assertEquals("REVOKED", ranWithJitctl.path("status").asText(), ranWithJitctl.toString());
        assertEquals("TASK_COMPLETED", ranWithJitctl.path("revocationReason").asText(), ranWithJitctl.toString());
        // then, with curl: ISSUED, an active credential, then REVOKED for TASK_COMPLETED and introspection inactive
        JsonNode issued = first(run, json, status("ISSUED"));
        assertEquals("APPROVED", issued.path("decision").asText(), issued.toString());
        assertTrue(issued.path("grantId").isTextual(), issued.toString());
        JsonNode active = first(run, json, node -> node.path("active").asBoolean(false));
        assertEquals(DEPLOYER, active.path("sub").asText(), active.toString());
        assertTrue(active.has("scope") && active.has("aud") && active.has("exp"), active.toString());
        JsonNode revoked = first(run, json, status("REVOKED"));
        assertEquals("TASK_COMPLETED", revoked.path("revocationReason").asText(), revoked.toString());
        JsonNode enforced = first(run, json, node -> node.has("enforcementBackend") && !node.has("status"));
        assertEquals("jwt-denylist", enforced.path("enforcementBackend").asText(), enforced.toString());
        assertTrue(enforced.path("enforcedAt").isTextual(), enforced.toString());
        JsonNode lastIntrospection = json.get(json.size() - 1);
        assertEquals("{\"active\":false}", lastIntrospection.toString(), run.output());
    }

    @Test
    @Order(2)
    void shouldDenyWithReasonsWhenTheDeniedPathRuns() {
        // when
        WalkthroughShell.Run run = run(path("Denied"));

        // then
        JsonNode denied = first(run, run.json(), status("DENIED"));
        assertFalse(denied.path("decisionReasons").isEmpty(), denied.toString());
    }

    @Test
    @Order(3)
    void shouldRevokeWithTtlExpiredWhenTheTtlPathRuns() {
        // when
        WalkthroughShell.Run run = run(path("TTL"));

        // then
        JsonNode revoked = first(run, run.json(), status("REVOKED"));
        assertEquals("TTL_EXPIRED", revoked.path("revocationReason").asText(), revoked.toString());
    }

    @Test
    @Order(4)
    void shouldGiveOneTableAndEndTheSessionWhenThePostgresPathRuns() {
        // when
        WalkthroughShell.Run run = run(path("PostgreSQL"));

        // then: issued for exactly that table, with a login of its own
        List<JsonNode> json = run.json();
        JsonNode issued = first(run, json, status("ISSUED"));
        assertTrue(issued.path("decisionReasons").toString().contains(
                "granted [SELECT] on postgres/orders-db/public.orders by ci-deployer-staging-orders-read"), issued.toString());
        JsonNode login = first(run, json, node -> "postgres".equals(node.path("type").asText()));
        assertEquals("<secret>", login.path("password").asText(), login.toString());
        assertEquals(DemoPostgresTarget.DATABASE, login.path("database").asText(), login.toString());
        assertTrue(login.path("username").asText().startsWith("jit_"), login.toString());
        // the login does what was approved, and nothing else
        String output = run.output();
        assertTrue(output.contains("keyboard") && output.contains("monitor") && output.contains("usb-c cable")
                && output.contains("(3 rows)"), output);
        assertTrue(output.contains("permission denied for table orders"), output);
        assertTrue(output.contains("permission denied for table payroll"), output);
        // revoked and enforced on the database: the open session ended, a new login fails, the role is gone
        JsonNode revoked = first(run, json, status("REVOKED"));
        assertEquals("TASK_COMPLETED", revoked.path("revocationReason").asText(), revoked.toString());
        assertEquals("postgres:" + DemoPostgresTarget.TARGET, revoked.path("enforcementBackend").asText(), revoked.toString());
        assertTrue(revoked.path("enforcedAt").isTextual(), revoked.toString());
        assertTrue(output.contains("terminating connection due to administrator command"), output);
        assertTrue(output.contains("password authentication failed for user \"jit_"), output);
        Matcher rolesLeft = Pattern.compile("count\\s*\\n-+\\s*\\n\\s*(\\d+)\\s*\\n\\(1 row\\)").matcher(output);
        assertTrue(rolesLeft.find(), output);
        assertEquals("0", rolesLeft.group(1), "jit_ roles left after the revocation:\n" + output);
    }

    @Test
    @Order(5)
    void shouldDenyOnRefusalGrantBreakGlassAndRevokeOnANewVersionWhenTheApprovalPathRuns() {
        // when
        WalkthroughShell.Run run = run(path("Approval"));

        // then: the prod write waits for a human, who refuses it
        List<JsonNode> json = run.json();
        JsonNode pending = first(run, json, status("PENDING_APPROVAL"));
        assertTrue(pending.path("approvalDeadline").isTextual(), pending.toString());
        assertTrue(run.output().contains("\"" + shell.variable("W") + "\""), "the queue lists the request: " + run.output());
        JsonNode refused = first(run, json, status("DENIED"));
        assertEquals("APPROVAL_DENIED", refused.path("denyCode").asText(), refused.toString());
        // break-glass: issued, marked, capped at 300 s
        JsonNode breakGlass = first(run, json, node -> node.path("breakGlass").asBoolean(false) && node.has("status"));
        assertEquals("ISSUED", breakGlass.path("status").asText(), breakGlass.toString());
        assertEquals(300, breakGlass.path("grantedTtlSeconds").asInt(), breakGlass.toString());
        // explain, then a new version that takes the staging write back
        JsonNode explained = first(run, json, node -> node.has("matchedRules"));
        assertTrue(explained.path("outcome").isTextual(), explained.toString());
        JsonNode published = first(run, json, node -> "2026-11-23.2".equals(node.path("version").asText()));
        assertTrue(published.has("previousVersion"), published.toString());
        JsonNode revoked = first(run, json, status("REVOKED"));
        assertEquals("POLICY_CHANGED", revoked.path("revocationReason").asText(), revoked.toString());
        // an invalid bundle is refused with its line
        JsonNode invalid = first(run, json, node -> "invalid_policy".equals(node.path("error").asText()));
        assertTrue(invalid.path("line").asInt() > 0 && invalid.path("message").asText().contains("request.ticket"),
                invalid.toString());
    }

    @Test
    @Order(6)
    void shouldRevokeByHandAndOnACompromiseWhenTheSrePathRuns() {
        // when
        WalkthroughShell.Run run = run(path("An SRE revokes by hand"));

        // then
        List<JsonNode> json = run.json();
        JsonNode manual = first(run, json, node -> "MANUAL".equals(node.path("revocationReason").asText()));
        assertTrue(manual.path("revocationDetail").asText().contains("INC-4711"), manual.toString());
        assertTrue(manual.path("causeEventId").isTextual(), manual.toString());
        JsonNode compromised = first(run, json, node -> "CONTEXT_CHANGED".equals(node.path("revocationReason").asText()));
        assertEquals("REVOKED", compromised.path("status").asText(), compromised.toString());
    }

    @Test
    @Order(7)
    void shouldAnswerWithTheStatusEachCommentGivesWhenTheRefusalsPathRuns() {
        // when
        WalkthroughShell.Run run = run(path("Refusals"));

        // then: each answer, with the HTTP status -w printed after it
        List<String> answers = run.output().lines().filter(line -> line.matches("\\{.*} \\d{3}")).toList();
        assertEquals(List.of("unauthorized 401", "invalid_request 400", "forbidden 403", "not_grant_workload 403"),
                answers.stream().map(WalkthroughIT::errorAndStatus).toList(), run.output());
        assertTrue(answers.get(1).contains("resources"), answers.get(1));
    }

    /** {@code {"error":"forbidden",...} 403} → {@code forbidden 403}. */
    private static String errorAndStatus(String answer) {
        List<JsonNode> body = WalkthroughShell.jsonObjects(answer);
        return (body.isEmpty() ? "(no JSON)" : body.get(0).path("error").asText()) + answer.substring(answer.lastIndexOf(' '));
    }

    private static WalkthroughShell.Run run(WalkthroughPath path) {
        List<String> blocks = path.blocks().stream()
                .map(block -> WalkthroughDocs.forStack(block, ports).replace("./jitctl ", jitctl + " ")).toList();
        WalkthroughShell.Run run = shell.run(path.title(), blocks);
        assertEquals(0, run.exitCode(), "'" + path.title() + "' failed under bash -euo pipefail; it printed:\n" + run.output());
        assertEquals(blocks.size(), run.blocks().size(), run.output());
        return run;
    }

    private static WalkthroughPath path(String titleStart) {
        return WalkthroughDocs.otherPaths(ROOT).stream().filter(path -> path.title().startsWith(titleStart)).findFirst()
                .orElseThrow(() -> new AssertionError(WalkthroughDocs.WALKTHROUGH + " has no path '" + titleStart + "...'"));
    }

    private static Predicate<JsonNode> status(String status) {
        return node -> status.equals(node.path("status").asText());
    }

    private static JsonNode first(WalkthroughShell.Run run, List<JsonNode> json, Predicate<JsonNode> what) {
        return json.stream().filter(what).findFirst()
                .orElseThrow(() -> new AssertionError("'" + run.title() + "' did not show what its comments say; it printed:\n"
                        + run.output()));
    }
}
