package io.jitbroker.jitctl;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jitbroker.client.JitClient;
import io.jitbroker.client.JitJson;
import io.jitbroker.client.LedgerEntry;
import io.jitbroker.client.LedgerQuery;
import io.jitbroker.devstack.Directories;
import io.jitbroker.devstack.launcher.DevStack;
import io.jitbroker.devstack.launcher.ExternalCommand;
import io.jitbroker.devstack.launcher.DevStackOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 13's "done when", against the whole dev stack on free ports (started once for the class),
 * with jitctl as a process of its own as {@code ./jitctl} runs it: a command that succeeds, fails or
 * is stopped by SIGTERM ends its task COMPLETED, FAILED or CANCELLED, and the ledger shows the grant
 * revoked for that reason; a denial and a refused approval exit 77 with the reasons. The credential
 * reaches the command's environment and nothing else.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JitctlIT {

    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = JitJson.mapper();
    private static final Path ROOT = DevStackOptions.locateRepositoryRoot();
    /** jitctl in one file, as the CI examples install it (jitctl-cli's package phase builds it). */
    private static final Path JITCTL_JAR = ROOT.resolve("jitctl-cli/target/jitctl.jar");

    private static DevStack stack;
    private static Path dir;
    private static Map<String, String> asDeployer;
    private static Map<String, String> asSre;
    private static JitClient sre;

    @BeforeAll
    static void startStack() throws IOException {
        stack = DevStack.start(DevStackOptions.onFreePorts(ROOT,
                Files.createTempDirectory("jit-jitctl-it-")));
        dir = Files.createDirectories(stack.options().workDir().resolve("jitctl"));
        String requestUrl = "http://" + DevStackOptions.HOST + ":" + stack.options().requestPort();
        String issuerUrl = "http://" + DevStackOptions.HOST + ":" + stack.options().issuerPort();
        Map<String, String> services = Map.of("JIT_REQUEST_URL", requestUrl, "JIT_ISSUER_URL", issuerUrl,
                "JIT_POLICY_URL", "http://" + DevStackOptions.HOST + ":" + stack.options().policyPort(),
                "JIT_DEV_IDP_URL", stack.infrastructure().identityProvider().issuer());
        asDeployer = with(services, "JIT_DEV_WORKLOAD", DEPLOYER);
        asSre = with(services, "JIT_DEV_WORKLOAD", DevStackOptions.DEV_SRE_WORKLOAD);
        sre = JitClient.builder().requestServiceUrl(requestUrl).issuerServiceUrl(issuerUrl)
                .token(() -> stack.infrastructure().identityProvider().mint(DevStackOptions.DEV_SRE_WORKLOAD)).build();
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
            Directories.deleteRecursively(stack.options().dataDir());
        }
    }

    private static Map<String, String> with(Map<String, String> environment, String name, String value) {
        Map<String, String> copy = new HashMap<>(environment);
        copy.put(name, value);
        return copy;
    }

    private static String task(String what) {
        return "jitctl-it-" + what + "-" + UUID.randomUUID();
    }

    private static JitctlProcess jitctl(Map<String, String> environment, String... args) {
        return JitctlProcess.start(dir, environment, args);
    }

    /** The task's one ledger entry, once it is REVOKED. */
    private static LedgerEntry awaitRevoked(String task) {
        return await().atMost(FLOW_TIMEOUT)
                .until(() -> sre.ledger(LedgerQuery.builder().taskId(task).build()).entries(),
                        entries -> entries.size() == 1 && LedgerEntry.REVOKED.equals(entries.get(0).status()))
                .get(0);
    }

    /** The JSON progress lines of {@code run --output json} with this event. */
    private static Stream<JsonNode> events(JitctlProcess run, String event) {
        return run.stderr().lines().filter(line -> line.startsWith("{")).map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }).filter(node -> event.equals(node.path("event").asText()));
    }

    /** First: a live staging grant would keep prod out (environment separation). */
    @Test
    @Order(0)
    void shouldShowTheApprovalPendingWithItsDeadlineThenExit77WhenAnSreDenies() {
        // given: a prod write waits for a human
        JitctlProcess run = jitctl(asDeployer, "run", "--output", "json", "--env", "prod",
                "--resource", "http:inventory-api:write", "--justification", "release CHG-123", "--", "true");
        JsonNode pending = await().atMost(FLOW_TIMEOUT).until(
                () -> events(run, "status").filter(e -> "PENDING_APPROVAL".equals(e.path("status").asText())).findFirst(),
                Optional::isPresent).orElseThrow();

        // when: the SRE refuses it with jitctl
        JitctlProcess deny = jitctl(asSre, "deny", pending.path("requestId").asText(), "--reason", "not during the freeze");

        // then
        assertEquals(0, deny.awaitExit(RUN_TIMEOUT), deny.stderr());
        assertTrue(deny.stdout().contains("denied"), deny.stdout());
        assertTrue(pending.path("approvalDeadline").isTextual(), pending.toString());
        assertEquals(ExitCodes.NOT_PERMITTED, run.awaitExit(RUN_TIMEOUT), run.stderr());
        JsonNode denied = events(run, "denied").findFirst().orElseThrow(() -> new AssertionError(run.stderr()));
        assertEquals("APPROVAL_DENIED", denied.path("denyCode").asText(), denied.toString());
    }

    @Test
    @Order(1)
    void shouldExit0AndRevokeWithTaskCompletedWhenTheCommandSucceeds() {
        // given
        String task = task("completed");

        // when
        JitctlProcess run = jitctl(asDeployer, "run", "--env", "staging", "--resource", "http:inventory-api:read",
                "--task-id", task, "--", "sh", "-c", "test -n \"$JIT_CREDENTIAL\"");

        // then
        assertEquals(0, run.awaitExit(RUN_TIMEOUT), run.stderr());
        assertEquals("TASK_COMPLETED", awaitRevoked(task).revocationReason());
        assertTrue(run.stderr().contains("jitctl: issued grant "), run.stderr());
        assertTrue(run.stderr().contains("command exited 0; task reported COMPLETED"), run.stderr());
    }

    @Test
    @Order(2)
    void shouldExit1AndRevokeWithTaskFailedWhenTheCommandFails() {
        // given
        String task = task("failed");

        // when
        JitctlProcess run = jitctl(asDeployer, "run", "--env", "staging", "--resource", "http:inventory-api:read",
                "--task-id", task, "--", "false");

        // then
        assertEquals(1, run.awaitExit(RUN_TIMEOUT), run.stderr());
        assertEquals("TASK_FAILED", awaitRevoked(task).revocationReason());
    }

    @Test
    @Order(3)
    void shouldExit77WithTheReasonsWhenPolicyDenies() {
        // when: writes in dev need a ticket number
        JitctlProcess run = jitctl(asDeployer, "run", "--env", "dev", "--resource", "http:inventory-api:write",
                "--ttl", "5m", "--justification", "no ticket here", "--", "true");

        // then
        assertEquals(ExitCodes.NOT_PERMITTED, run.awaitExit(RUN_TIMEOUT), run.stderr());
        assertTrue(run.stderr().contains("jitctl: denied (DENIED_BY_RULE): "), run.stderr());
        assertTrue(run.stderr().contains("dev-writes-need-ticket"), run.stderr());
    }

    @Test
    @Order(4)
    void shouldForwardSigtermAndRevokeWithTaskCancelledWhenJitctlIsTerminated() throws IOException {
        // given: a command that keeps the credential it got and runs on, with heartbeats required every 5 s
        String task = task("cancelled");
        Path kept = dir.resolve("credential-" + task);
        JitctlProcess run = jitctl(asDeployer, "run", "--env", "staging", "--resource", "http:inventory-api:read",
                "--heartbeat", "5s", "--task-id", task, "--",
                "sh", "-c", "printf %s \"$JIT_CREDENTIAL\" > " + kept.getFileName() + "; exec sleep 300");
        await().atMost(FLOW_TIMEOUT).until(() -> Files.exists(kept) && Files.size(kept) > 0);
        String credential = Files.readString(kept);
        // heartbeats keep the grant past its interval plus the revoker's grace (10 s)
        await().during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(20)).until(
                () -> LedgerEntry.ISSUED.equals(sre.ledger(LedgerQuery.builder().taskId(task).build()).entries().get(0).status()));

        // when
        List<String> processList = commandLines();
        run.terminate();

        // then: the command got SIGTERM (sleep's 143 is jitctl's exit), the task ended CANCELLED
        assertEquals(143, run.awaitExit(RUN_TIMEOUT), run.stderr());
        assertEquals("TASK_CANCELLED", awaitRevoked(task).revocationReason());
        assertTrue(run.stderr().contains("jitctl: SIGTERM: passed to the command"), run.stderr());
        // the credential was in the command's environment only: not in any process's arguments, nor in jitctl's output
        assertTrue(credential.length() > 100, "the command got no credential");
        assertFalse(processList.isEmpty());
        assertTrue(processList.stream().noneMatch(line -> line.contains(credential)), "a command line holds the credential");
        assertFalse(run.stdout().contains(credential) || run.stderr().contains(credential), "jitctl printed the credential");
        Files.delete(kept);
    }

    /** Every process's arguments, as ps shows them. */
    private static List<String> commandLines() throws IOException {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().matches("\\d+")).map(p -> {
                try {
                    return new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                } catch (IOException e) {
                    return ""; // ended meanwhile
                }
            }).toList();
        }
    }

    @Test
    @Order(5)
    void shouldListTheTaskAsJsonWhenAnSreAsksTheLedger() throws IOException {
        // given
        String task = task("ledger");
        assertEquals(0, jitctl(asDeployer, "run", "--env", "staging", "--resource", "http:inventory-api:read",
                "--task-id", task, "--", "true").awaitExit(RUN_TIMEOUT));
        awaitRevoked(task);

        // when
        JitctlProcess ledger = jitctl(asSre, "ledger", "--task", task, "--output", "json");
        JitctlProcess human = jitctl(asSre, "ledger", "--task", task, "--status", "REVOKED");

        // then
        assertEquals(0, ledger.awaitExit(RUN_TIMEOUT), ledger.stderr());
        JsonNode entry = JSON.readTree(ledger.stdout()).path("entries").get(0);
        assertEquals("REVOKED", entry.path("status").asText(), entry.toString());
        assertEquals("TASK_COMPLETED", entry.path("revocationReason").asText(), entry.toString());
        assertEquals(0, human.awaitExit(RUN_TIMEOUT), human.stderr());
        assertTrue(human.stdout().contains("TASK_COMPLETED") && human.stdout().contains(task), human.stdout());
    }

    @Test
    @Order(6)
    void shouldExplainRuleByRuleAndRefuseAnInvalidBundleWithItsLineWhenAnSreAsksPolicy() throws IOException {
        // given
        Path invalid = Files.writeString(dir.resolve("invalid-policy.yaml"),
                "version: \"x\"\nmaxTtlSeconds: 60\nenvironments: [dev]\nbogus: 1\nrules: []\n");

        // when
        JitctlProcess explain = jitctl(asSre, "policy", "explain", "--workload", DEPLOYER, "--env", "staging",
                "--resource", "http:inventory-api:read");
        JitctlProcess publish = jitctl(asSre, "policy", "publish", invalid.toString());

        // then
        assertEquals(0, explain.awaitExit(RUN_TIMEOUT), explain.stderr());
        assertTrue(explain.stdout().contains("APPROVED") && explain.stdout().contains("ci-deployer-staging-inventory"),
                explain.stdout());
        assertEquals(ExitCodes.REFUSED, publish.awaitExit(RUN_TIMEOUT), publish.stderr());
        assertTrue(publish.stderr().contains("invalid_policy") && publish.stderr().contains("line 4"), publish.stderr());
    }

    @Test
    @Order(7)
    void shouldDeployAndRevokeWithTaskCompletedWhenTheGithubActionsJobRuns() throws IOException {
        // given: the job's steps as a runner runs them (bash -eo pipefail), jitctl.jar served from this build
        CiExamples.WorkflowJob job = CiExamples.githubActionsJob(ROOT);
        Path workspace = ciWorkspace("github-actions");
        Path runnerTemp = Files.createDirectories(workspace.resolve("runner-temp"));
        Path githubPath = Files.createFile(workspace.resolve("github-path"));
        String runId = Long.toString(System.nanoTime());
        Map<String, String> environment = ciEnvironment(job.environment(), workspace);
        environment.putAll(Map.of("RUNNER_TEMP", runnerTemp.toString(), "GITHUB_PATH", githubPath.toString(),
                "GITHUB_RUN_ID", runId, "GITHUB_RUN_ATTEMPT", "1", "GITHUB_SHA", "4b825dc", "GITHUB_WORKFLOW", "deploy"));
        Map<String, String> variables = Map.of("JITCTL_JAR_URL", JITCTL_JAR.toUri().toString());

        // when
        StringBuilder output = new StringBuilder();
        int exitCode = 0;
        for (String script : job.scripts()) {
            // each step sees the directories earlier steps added to GITHUB_PATH
            environment.put("PATH", String.join(":", Files.readAllLines(githubPath)) + ":" + System.getenv("PATH"));
            ExternalCommand step = runCi(workspace, environment,
                    List.of("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", CiExamples.WorkflowJob.withVariables(script, variables)));
            output.append(step.output());
            exitCode = step.exitCode();
            if (exitCode != 0) {
                break;
            }
        }

        // then
        assertEquals(0, exitCode, output.toString());
        assertTrue(output.toString().contains("deployed to staging with grant "), output.toString());
        assertEquals("TASK_COMPLETED", awaitRevoked("gha-" + runId + "-1").revocationReason());
    }

    @Test
    @Order(8)
    void shouldDeployAndRevokeWithTaskCompletedWhenTheKubernetesJobRuns() throws IOException {
        // given: the container's command line with its $(VAR)s expanded, the image's jitctl.jar and deploy script from here
        CiExamples.JobContainer container = CiExamples.kubernetesJobContainer(ROOT);
        Path workspace = ciWorkspace("kubernetes");
        String podUid = UUID.randomUUID().toString();
        Map<String, String> environment = ciEnvironment(container.environment(), workspace);
        environment.put("POD_UID", podUid);
        List<String> commandLine = new ArrayList<>(container.expanded(environment));
        commandLine.set(commandLine.indexOf("-jar") + 1, JITCTL_JAR.toString());
        commandLine.set(commandLine.indexOf("--") + 1, workspace.resolve("scripts/deploy.sh").toString());

        // when
        ExternalCommand job = runCi(workspace, environment, commandLine);

        // then
        assertEquals(0, job.exitCode(), job.output());
        assertTrue(job.output().contains("deployed to staging with grant "), job.output());
        assertEquals("TASK_COMPLETED", awaitRevoked("k8s-" + podUid).revocationReason());
    }

    /** A directory with the deploy script the examples run (it needs the credential) and the deployer's JWT-SVID. */
    private static Path ciWorkspace(String name) throws IOException {
        Path workspace = Files.createDirectories(dir.resolve(name));
        Path deploy = Files.createDirectories(workspace.resolve("scripts")).resolve("deploy.sh");
        Files.writeString(deploy, "#!/bin/sh\nset -e\ntest -n \"$JIT_CREDENTIAL\"\necho \"deployed to $1 with grant $JIT_GRANT_ID\"\n");
        deploy.toFile().setExecutable(true);
        Files.writeString(workspace.resolve("jwt-svid.token"), stack.infrastructure().identityProvider().mint(DEPLOYER));
        return workspace;
    }

    /** The example's environment with this stack's URLs and the workspace's JWT-SVID where it names them. */
    private static Map<String, String> ciEnvironment(Map<String, String> example, Path workspace) {
        for (String name : List.of("JIT_REQUEST_URL", "JIT_ISSUER_URL", "JIT_TOKEN_FILE")) {
            assertTrue(example.containsKey(name), "the example does not set " + name + ": " + example);
        }
        Map<String, String> environment = new HashMap<>(example);
        environment.put("JIT_REQUEST_URL", asDeployer.get("JIT_REQUEST_URL"));
        environment.put("JIT_ISSUER_URL", asDeployer.get("JIT_ISSUER_URL"));
        environment.put("JIT_TOKEN_FILE", workspace.resolve("jwt-svid.token").toString());
        return environment;
    }

    private static ExternalCommand runCi(Path workspace, Map<String, String> environment, List<String> commandLine) {
        return ExternalCommand.run(workspace, RUN_TIMEOUT, "bash, curl and java", commandLine, environment);
    }
}
