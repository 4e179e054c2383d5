package io.jitbroker.devstack.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.devstack.Directories;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The four container images that `./jit-broker images` builds (Jib tarballs on the Debian base
 * image) run: loaded into podman, each started as a container on the host's network against real
 * infrastructure (the dev stack's, in the dev profile), every one answers /health UP, and one flow
 * goes through them: request, issue, pickup, completion, revocation. Needs podman (rootful, runc;
 * docs/OPERATIONS.md, "Images") and the tarballs: `.ci/run` builds both before the tests.
 */
class ImagesIT {

    private static final Path ROOT = DevStackOptions.locateRepositoryRoot();
    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /** Where the images keep Kafka Streams state (the one writable directory, deploy/image-root). */
    private static final String STATE_DIR = "/var/lib/jit-broker/streams";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    private static Path workDir;
    private static DevStack stack;
    private static WalkthroughClient client;
    private static final List<String> containers = new ArrayList<>();

    @BeforeAll
    static void startImages() throws IOException {
        workDir = Files.createTempDirectory("jit-images-it-");
        stack = DevStack.startInfrastructure(DevStackOptions.onFreePorts(ROOT, workDir));
        client = new WalkthroughClient(stack);
        String version = ComposeFileTest.projectVersion();
        for (ServiceSpec spec : ServiceSpec.all(stack.options())) {
            Path image = ROOT.resolve(spec.module()).resolve("target/jib-image.tar");
            assertTrue(Files.isRegularFile(image), "no " + image + ": build the images first with ./jit-broker images "
                    + "(after sudo deploy/base-image/build-base-image.sh); .ci/run does both");
            podman(Duration.ofMinutes(3), "load", "-q", "-i", image.toString());
            containers.add(run(spec, "localhost/jit-broker/" + spec.name() + ":" + version));
        }
    }

    /** Starts the service's image as the dev stack would start its JVM, on the host's network; returns the container's name. */
    private static String run(ServiceSpec spec, String image) throws IOException {
        Map<String, String> environment = new LinkedHashMap<>(stack.serviceEnvironment(spec));
        environment.put("KAFKA_STREAMS_STATE_DIR", STATE_DIR);
        // An env file, not -e: the master key and passwords stay out of the process list.
        Path envFile = workDir.resolve(spec.name() + ".env");
        StringBuilder lines = new StringBuilder();
        environment.forEach((key, value) -> lines.append(key).append('=').append(value).append('\n'));
        Files.writeString(envFile, lines);
        String name = "jit-images-it-" + RUN + "-" + spec.name();
        String policy = stack.options().examplePolicy().toString();
        podman(Duration.ofMinutes(1), "run", "-d", "--name", name, "--network", "host", "--env-file", envFile.toString(),
                "-v", policy + ":" + policy + ":ro", image);
        return name;
    }

    @AfterAll
    static void stopImages() {
        for (String container : containers) {
            try {
                Files.writeString(workDir.resolve(container + ".log"), podman(Duration.ofSeconds(30), "logs", container));
                podman(Duration.ofSeconds(60), "rm", "-f", "-t", "10", container);
            } catch (RuntimeException | IOException e) {
                System.err.println("could not remove container " + container + ": " + e);
            }
        }
        if (stack != null) {
            stack.close();
        }
        if (workDir != null) {
            Directories.deleteRecursively(workDir);
        }
    }

    @Test
    void shouldAnswerHealthyFromEveryImageWhenItRunsAgainstTheInfrastructure() {
        // when / then: every container's /health says UP within the deadline
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (ServiceSpec spec : ServiceSpec.all(stack.options())) {
            URI health = URI.create(spec.url(DevStackOptions.HOST) + "/health");
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString())
                            .body().contains("\"UP\""));
        }
    }

    @Test
    void shouldIssueAndRevokeWhenAFlowGoesThroughTheImages() {
        // given: every image ready
        shouldAnswerHealthyFromEveryImageWhenItRunsAgainstTheInfrastructure();
        String token = client.tokenFor(DEPLOYER);
        String taskId = "images-it-" + UUID.randomUUID();

        // when: a deployer asks, picks up, and completes its task
        var accepted = client.postJson(client.requestServiceUrl() + "/v1/access-requests", token, """
                {"taskId":"%s","environment":"staging","ttlSeconds":300,"justification":"image test",
                 "resources":[{"type":"http","id":"inventory-api","actions":["read"]}]}""".formatted(taskId));
        assertEquals(202, accepted.status(), accepted.raw());
        String requestId = accepted.body().get("requestId").asText();
        var issued = client.awaitStatus(requestId, token, "ISSUED");
        var credential = client.get(client.issuerServiceUrl() + "/v1/grants/" + issued.body().get("grantId").asText()
                + "/credential", token);
        var completed = client.postJson(client.requestServiceUrl() + "/v1/tasks/" + taskId + "/events", token,
                "{\"type\":\"COMPLETED\"}");
        var revoked = client.awaitStatus(requestId, token, "REVOKED");

        // then
        assertEquals(200, credential.status(), credential.raw());
        String jwt = credential.body().get("credential").asText();
        assertFalse(jwt.isBlank());
        assertEquals(202, completed.status(), completed.raw());
        assertEquals("TASK_COMPLETED", revoked.body().get("revocationReason").asText());
        await().atMost(WalkthroughClient.FLOW_TIMEOUT)
                .until(() -> !client.introspect(token, jwt).body().get("active").asBoolean());
    }

    /** Runs podman with {@code args}; returns its output, or fails with it. */
    private static String podman(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(args));
        ExternalCommand run = ExternalCommand.run(workDir, timeout,
                "apt-get install podman runc; docs/OPERATIONS.md, \"Images\"", command);
        if (run.exitCode() != 0) {
            throw new IllegalStateException("podman " + String.join(" ", args) + " failed (" + run.exitCode() + "): "
                    + run.output());
        }
        return run.output();
    }
}
