package io.jitbroker.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.contracts.Topic;
import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.events.v1.TaskEventType;
import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.kafka.SchemaDeployment;
import io.jitbroker.kafka.SchemaRegistration;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Schema governance on a real registry: producers never register, the deploy step
 * ({@link SchemaDeployment}) sets BACKWARD compatibility on every subject and registers the
 * schemas, and the registry then refuses an incompatible change and accepts a compatible one.
 * One registry, in order: before the deploy step, then after it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchemaGovernanceIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(1);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SchemaRegistryProcess registry;
    private static Path logDir;

    @BeforeAll
    static void startRegistry() throws IOException {
        logDir = Files.createTempDirectory("jit-schema-governance-");
        registry = SchemaRegistryProcess.start(SchemaRegistryProcess.locateApp(), "127.0.0.1", 0,
                logDir.resolve("schema-registry.log"));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
        Directories.deleteRecursively(logDir);
    }

    @Test
    @Order(1)
    void shouldNotRegisterAnythingWhenAProducerWritesBeforeTheDeployStep() throws Exception {
        // given: a service's serializer, on a registry the deploy step has not run against
        Serializer<TaskEvent> serializer = new RegistrySerdes(registry.nativeApiUrl()).valueSerializer();

        // when
        RuntimeException refused = assertThrows(RuntimeException.class,
                () -> serializer.serialize(Topics.TASK_EVENTS.name(), taskEvent()));

        // then: it found nothing and registered nothing
        assertTrue(String.valueOf(refused.getMessage()).contains(subject(Topics.TASK_EVENTS)), refused.toString());
        HttpResponse<String> artifacts = get("/groups/default/artifacts");
        assertTrue(artifacts.body().contains("\"count\":0"), artifacts.body());
    }

    @Test
    @Order(2)
    void shouldSetBackwardCompatibilityOnEverySubjectWhenTheDeployStepRuns() throws Exception {
        // when
        Map<String, Long> contentIds = SchemaDeployment.deploy(registry.nativeApiUrl(), Topics.ALL, TIMEOUT);

        // then: a rule globally and on each topic's subject, and each schema registered
        assertEquals(Topics.ALL.size(), contentIds.size());
        assertRule(get("/admin/rules/COMPATIBILITY"));
        for (Topic<?> topic : Topics.ALL) {
            assertRule(get(artifact(topic) + "/rules/COMPATIBILITY"));
        }
    }

    @Test
    @Order(3)
    void shouldChangeNothingWhenTheDeployStepRunsAgain() throws Exception {
        // given
        Map<String, Long> first = SchemaDeployment.deploy(registry.nativeApiUrl(), Topics.ALL, TIMEOUT);

        // when
        Map<String, Long> second = SchemaDeployment.deploy(registry.nativeApiUrl(), Topics.ALL, TIMEOUT);

        // then
        assertEquals(first, second);
        assertEquals("[\"1\"]", versions(Topics.TASK_EVENTS));
    }

    @Test
    @Order(4)
    void shouldRefuseAnIncompatibleSchemaWhenANewVersionAddsAFieldWithoutDefault() throws Exception {
        // given: TaskEvent with a new required field: old records cannot be read with it
        String incompatible = withField(Topics.TASK_EVENTS, "{\"name\":\"region\",\"type\":\"string\"}");

        // when
        HttpResponse<String> answer = post(artifact(Topics.TASK_EVENTS) + "/versions", incompatible);

        // then: refused by the rule, and the subject still has its one version
        assertEquals(409, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("RuleViolationException") && answer.body().contains("region"), answer.body());
        assertEquals("[\"1\"]", versions(Topics.TASK_EVENTS));
    }

    @Test
    @Order(5)
    void shouldAcceptACompatibleSchemaAndKeepOldProducersWorkingWhenANewVersionAddsAnOptionalField() throws Exception {
        // given: TaskEvent with a new optional field (a default: old records read with it)
        String compatible = withField(Topics.TASK_EVENTS,
                "{\"name\":\"region\",\"type\":[\"null\",\"string\"],\"default\":null}");

        // when
        HttpResponse<String> answer = post(artifact(Topics.TASK_EVENTS) + "/versions", compatible);

        // then: version 2; a producer still on version 1 (a rolling upgrade) writes with version 1's id
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("[\"1\",\"2\"]", versions(Topics.TASK_EVENTS));
        byte[] written = new RegistrySerdes(registry.nativeApiUrl()).valueSerializer()
                .serialize(Topics.TASK_EVENTS.name(), taskEvent());
        long contentId = ByteBuffer.wrap(written, 1, 4).getInt();
        assertEquals(SchemaRegistration.registerAll(registry.nativeApiUrl(), List.of(Topics.TASK_EVENTS), TIMEOUT)
                .get(Topics.TASK_EVENTS.name()), contentId);
    }

    private static TaskEvent taskEvent() {
        return TaskEvent.newBuilder().setEventId("e-1").setTaskId("t-1").setWorkloadId("spiffe://dev.local/ci/deployer")
                .setType(TaskEventType.COMPLETED).setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).build();
    }

    private static String withField(Topic<?> topic, String field) {
        String schema = org.apache.avro.specific.SpecificData.get().getSchema(topic.valueType()).toString();
        int fieldsEnd = schema.lastIndexOf(']');
        String evolved = schema.substring(0, fieldsEnd) + "," + field + schema.substring(fieldsEnd);
        new Schema.Parser().parse(evolved); // a valid schema: only the rule may refuse it
        return evolved;
    }

    private static void assertRule(HttpResponse<String> rule) {
        assertEquals(200, rule.statusCode(), rule.body());
        assertTrue(rule.body().contains("\"config\":\"" + SchemaDeployment.COMPATIBILITY + "\""), rule.body());
    }

    /** The subject's versions, as {@code ["1","2"]}. */
    private static String versions(Topic<?> topic) throws Exception {
        Matcher version = Pattern.compile("\"version\":\"([^\"]+)\"").matcher(get(artifact(topic) + "/versions").body());
        List<String> versions = new ArrayList<>();
        while (version.find()) {
            versions.add("\"" + version.group(1) + "\"");
        }
        return "[" + String.join(",", versions) + "]";
    }

    private static String subject(Topic<?> topic) {
        return SchemaRegistration.subject(topic);
    }

    private static String artifact(Topic<?> topic) {
        return "/groups/default/artifacts/" + URLEncoder.encode(subject(topic), StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(registry.nativeApiUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(registry.nativeApiUrl() + path))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
