package io.jitbroker.jitctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.client.JitApiException;
import io.jitbroker.client.JitException;
import io.jitbroker.client.Resource;
import io.jitbroker.client.TokenFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;

/** Parsing and the rules that need no service: durations, resources, identity, URLs, exit codes. */
class JitctlTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private CommandLine jitctl(Map<String, String> environment) {
        return Jitctl.commandLine(environment, new PrintWriter(out), new PrintWriter(err));
    }

    private <T> T parsed(Map<String, String> environment, Class<T> type, String... args) {
        ParseResult result = jitctl(environment).parseArgs(args);
        return type.cast(result.subcommand().commandSpec().userObject());
    }

    @ParameterizedTest
    @CsvSource({"30s, PT30S", "10m, PT10M", "1h30m, PT1H30M", "500ms, PT0.5S", "2d, PT48H", "PT15M, PT15M", " 45s , PT45S"})
    void shouldReadADurationWhenWrittenAsPeopleDo(String text, String expected) {
        // when
        Duration duration = new DurationConverter().convert(text);

        // then
        assertEquals(Duration.parse(expected), duration);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "10", "m", "10 m", "-5s", "1.5h", "ten minutes", "P"})
    void shouldRefuseWhenADurationIsZeroOrMalformed(String text) {
        // when / then
        assertThrows(TypeConversionException.class, () -> new DurationConverter().convert(text));
    }

    @Test
    void shouldWriteADurationBackShortlyWhenFormatting() {
        // when / then
        assertEquals("1h30m", DurationConverter.format(Duration.ofMinutes(90)));
        assertEquals("45s", DurationConverter.format(Duration.ofSeconds(45)));
    }

    @Test
    void shouldReadEveryResourceTheTtlAndTheCommandWhenRunIsGivenThem() {
        // when
        RunCommand run = parsed(Map.of(), RunCommand.class, "run", "--env", "staging",
                "--resource", "http:inventory-api:read", "--resource", "postgres:orders-db/public.orders:SELECT",
                "--ttl", "10m", "--heartbeat", "30s", "--", "sh", "-c", "test -n \"$JIT_CREDENTIAL\"");

        // then
        assertEquals("staging", run.access.environment);
        assertEquals(List.of(Resource.of("http", "inventory-api", "read"),
                Resource.of("postgres", "orders-db/public.orders", "SELECT")), run.access.resources);
        assertEquals(Duration.ofMinutes(10), run.access.ttl);
        assertEquals(Duration.ofSeconds(30), run.heartbeat);
        assertEquals(List.of("sh", "-c", "test -n \"$JIT_CREDENTIAL\""), run.command);
    }

    @Test
    void shouldDefaultTtlAndWaitAndLeaveHeartbeatsOffWhenRunGetsOnlyTheRequired() {
        // when
        RunCommand run = parsed(Map.of(), RunCommand.class, "run", "--env", "staging", "--resource",
                "http:inventory-api:read", "--", "false");

        // then
        assertEquals(Duration.ofMinutes(10), run.access.ttl);
        assertEquals(Duration.ofMinutes(15), run.wait);
        assertEquals(null, run.heartbeat);
        assertEquals(null, run.taskId);
    }

    @Test
    void shouldLeaveTheCommandsOwnOptionsToItWhenThereIsNoDoubleDash() {
        // when
        RunCommand run = parsed(Map.of(), RunCommand.class, "run", "--env", "staging", "--resource",
                "http:inventory-api:read", "curl", "-s", "--ttl", "x");

        // then
        assertEquals(List.of("curl", "-s", "--ttl", "x"), run.command);
        assertEquals(Duration.ofMinutes(10), run.access.ttl);
    }

    @Test
    void shouldExitWithUsageAndShowTheSyntaxWhenAResourceIsMalformed() {
        // when
        int exit = jitctl(Map.of()).execute("run", "--env", "staging", "--resource", "http:inventory-api", "--", "true");

        // then
        assertEquals(ExitCodes.USAGE, exit);
        assertTrue(err.toString().contains("type:id:action[,action]"), err.toString());
        assertTrue(err.toString().contains("try 'jitctl run --help'"), err.toString());
    }

    @Test
    void shouldExitWithUsageWhenRunHasNoCommand() {
        // when
        int exit = jitctl(Map.of()).execute("run", "--env", "staging", "--resource", "http:inventory-api:read");

        // then
        assertEquals(ExitCodes.USAGE, exit);
        assertTrue(err.toString().contains("COMMAND"), err.toString());
    }

    @Test
    void shouldExitWithUsageWhenTheTtlIsNotWholeSeconds() {
        // when
        int exit = jitctl(Map.of("JIT_TOKEN", "t")).execute("run", "--env", "staging", "--resource",
                "http:inventory-api:read", "--ttl", "1500ms", "--", "true");

        // then
        assertEquals(ExitCodes.USAGE, exit);
        assertTrue(err.toString().contains("--ttl must be whole seconds"), err.toString());
    }

    @Test
    void shouldExitWithUsageAndSayHowWhenNoIdentityIsGiven() {
        // when
        int exit = jitctl(Map.of()).execute("status", "7d4f0c1e");

        // then
        assertEquals(ExitCodes.USAGE, exit);
        assertTrue(err.toString().contains("no identity"), err.toString());
        assertTrue(err.toString().contains("--dev-workload"), err.toString());
    }

    @Test
    void shouldPreferTheFlagThenTheVariableThenTheDevStackWhenChoosingUrls() {
        // given
        Map<String, String> environment = Map.of("JIT_REQUEST_URL", "http://request.example:80",
                "JIT_ISSUER_URL", "http://issuer.example:80");

        // when
        StatusCommand fromFlag = parsed(environment, StatusCommand.class, "status", "--request-url", "http://flag:1", "id");
        StatusCommand fromVariables = parsed(environment, StatusCommand.class, "status", "id");
        StatusCommand fromDefaults = parsed(Map.of(), StatusCommand.class, "status", "id");

        // then
        assertEquals("http://flag:1", fromFlag.common.requestServiceUrl(environment));
        assertEquals("http://issuer.example:80", fromFlag.common.issuerServiceUrl(environment));
        assertEquals("http://request.example:80", fromVariables.common.requestServiceUrl(environment));
        assertEquals("http://127.0.0.1:8080", fromDefaults.common.requestServiceUrl(Map.of()));
        assertEquals("http://127.0.0.1:8081", fromDefaults.common.issuerServiceUrl(Map.of()));
    }

    @Test
    void shouldReadTheTokenFileBeforeJitTokenWhenBothAreGiven() throws Exception {
        // given
        Path file = Files.writeString(dir.resolve("svid"), "from-file\n");
        Map<String, String> environment = Map.of("JIT_TOKEN", "from-variable", "JIT_TOKEN_FILE", file.toString());

        // when
        StatusCommand withFlag = parsed(environment, StatusCommand.class, "status", "--token-file", file.toString(), "id");
        StatusCommand withoutFlag = parsed(Map.of("JIT_TOKEN", "from-variable"), StatusCommand.class, "status", "id");
        StatusCommand fileFromVariable = parsed(Map.of("JIT_TOKEN_FILE", file.toString()), StatusCommand.class, "status", "id");

        // then
        assertTrue(withFlag.common.token(environment) instanceof TokenFile);
        assertEquals("from-file", withFlag.common.token(environment).get());
        assertEquals("from-variable", withoutFlag.common.token(Map.of("JIT_TOKEN", "from-variable")).get());
        assertEquals("from-file", fileFromVariable.common.token(Map.of("JIT_TOKEN_FILE", file.toString())).get());
    }

    @Test
    void shouldExitWithUsageWhenRevokeNamesNoTargetOrTwo() {
        // when
        int none = jitctl(Map.of("JIT_TOKEN", "t")).execute("revoke", "--reason", "INC-1");
        int two = jitctl(Map.of("JIT_TOKEN", "t")).execute("revoke", "--grant", "g", "--task", "t", "--reason", "INC-1");
        int ownerWithoutTask = jitctl(Map.of("JIT_TOKEN", "t")).execute("revoke", "--grant", "g", "--task-owner", "w",
                "--reason", "INC-1");

        // then
        assertEquals(List.of(ExitCodes.USAGE, ExitCodes.USAGE, ExitCodes.USAGE), List.of(none, two, ownerWithoutTask));
    }

    @Test
    void shouldExitWithUsageWhenApproveHasNoReason() {
        // when
        int exit = jitctl(Map.of("JIT_TOKEN", "t")).execute("approve", "7d4f0c1e");

        // then
        assertEquals(ExitCodes.USAGE, exit);
        assertTrue(err.toString().contains("--reason"), err.toString());
    }

    @ParameterizedTest
    @CsvSource({"401, 77", "403, 77", "410, 77", "400, 65", "404, 65", "409, 65", "500, 69", "503, 69"})
    void shouldMapTheServiceAnswerToAnExitCodeWhenACallFails(int status, int exitCode) {
        // when / then
        assertEquals(exitCode, Jitctl.exitCode(new JitApiException("GET /x", status, "e", "m", null)));
    }

    @Test
    void shouldExitUnavailableWhenTheServiceCannotBeReached() {
        // when
        int exit = jitctl(Map.of("JIT_TOKEN", "t", "JIT_REQUEST_URL", "http://127.0.0.1:1")).execute("status", "id");

        // then
        assertEquals(ExitCodes.UNAVAILABLE, exit);
        assertEquals(ExitCodes.UNAVAILABLE, Jitctl.exitCode(new JitException("no route")));
        assertTrue(err.toString().startsWith("jitctl: GET /v1/access-requests/id failed"), err.toString());
    }

    @Test
    void shouldOfferHelpWhenAnyCommandIsAskedForIt() {
        for (String command : List.of("run", "status", "ledger", "approve", "deny", "revoke", "policy",
                "policy publish", "policy explain")) {
            // when
            int exit = jitctl(Map.of()).execute((command + " --help").split(" "));

            // then
            assertEquals(ExitCodes.OK, exit, command);
            assertTrue(out.toString().contains("Usage: jitctl " + command), out.toString());
        }
    }

    @Test
    void shouldExitWithUsageAndNameTheFileWhenTheBundleCannotBeRead() {
        // when
        int exit = jitctl(Map.of("JIT_TOKEN", "t")).execute("policy", "publish", dir.resolve("missing.yaml").toString());

        // then
        assertEquals(ExitCodes.USAGE, exit);
        assertTrue(err.toString().contains("missing.yaml"), err.toString());
    }

    @Test
    void shouldReadTheQuestionWhenPolicyExplainIsGivenIt() {
        // when
        PolicyCommand.Explain explain = (PolicyCommand.Explain) jitctl(Map.of()).parseArgs("policy", "explain",
                "--workload", "spiffe://dev.local/ci/deployer", "--env", "staging", "--resource", "http:inventory-api:read,write")
                .subcommand().subcommand().commandSpec().userObject();

        // then
        assertEquals(List.of(Resource.of("http", "inventory-api", "read", "write")), explain.access.resources);
        assertEquals(Duration.ofMinutes(10), explain.access.ttl);
    }
}
