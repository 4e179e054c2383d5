package io.jitbroker.request.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessRequestRulesTest {

    private final AccessRequestRules rules = new AccessRequestRules(Set.of("dev", "staging", "prod"), 3600);

    /** A body that passes every rule; each test breaks one thing. */
    static Map<String, Object> validBody() {
        Map<String, Object> resource = new HashMap<>();
        resource.put("type", "postgres");
        resource.put("id", "orders-db");
        resource.put("actions", new ArrayList<>(List.of("write", "read", "read")));
        Map<String, Object> body = new HashMap<>();
        body.put("taskId", "deploy-42");
        body.put("environment", "prod");
        body.put("resources", new ArrayList<>(List.of(resource)));
        body.put("ttlSeconds", 900);
        body.put("justification", "release 4.2 migration");
        return body;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> firstResource(Map<String, Object> body) {
        return ((List<Map<String, Object>>) body.get("resources")).get(0);
    }

    static Stream<Arguments> brokenBodies() {
        return Stream.of(
                broken("workloadId", "workloadId must not be sent", b -> b.put("workloadId", "spiffe://dev.local/x")),
                broken("unknown field", "unknown field 'priority'", b -> b.put("priority", "high")),
                broken("missing taskId", "taskId is required", b -> b.remove("taskId")),
                broken("blank taskId", "taskId must be 1 to 128", b -> b.put("taskId", "  ")),
                broken("taskId with a slash", "taskId must be 1 to 128", b -> b.put("taskId", "a/b")),
                broken("taskId too long", "taskId must be 1 to 128", b -> b.put("taskId", "t".repeat(129))),
                broken("taskId not a string", "taskId must be 1 to 128", b -> b.put("taskId", 42)),
                broken("missing environment", "environment is required", b -> b.remove("environment")),
                broken("unknown environment", "environment must be one of dev, prod, staging", b -> b.put("environment", "qa")),
                broken("missing resources", "resources is required", b -> b.remove("resources")),
                broken("resources not an array", "resources must be an array", b -> b.put("resources", "db")),
                broken("empty resources", "resources must name at least one", b -> b.put("resources", List.of())),
                broken("51 resources", "resources must name at most 50", b -> b.put("resources", resources(51))),
                broken("resource not an object", "resources[0] must be an object", b -> b.put("resources", List.of("db"))),
                broken("blank resource type", "resources[0].type must not be blank", b -> firstResource(b).put("type", "")),
                broken("missing resource id", "resources[0].id is required", b -> firstResource(b).remove("id")),
                broken("unknown resource field", "unknown field 'resources[0].scope'", b -> firstResource(b).put("scope", "all")),
                broken("empty actions", "resources[0].actions must name at least one action", b -> firstResource(b).put("actions", List.of())),
                broken("blank action", "resources[0].actions[1] must not be blank", b -> firstResource(b).put("actions", List.of("read", " "))),
                broken("repeated resource", "resources[1] repeats type 'postgres' and id 'orders-db'",
                        b -> b.put("resources", List.of(firstResource(b), firstResource(b)))),
                broken("missing ttlSeconds", "ttlSeconds is required", b -> b.remove("ttlSeconds")),
                broken("zero ttlSeconds", "ttlSeconds must be greater than 0", b -> b.put("ttlSeconds", 0)),
                broken("negative ttlSeconds", "ttlSeconds must be greater than 0", b -> b.put("ttlSeconds", -5L)),
                broken("ttlSeconds over the maximum", "ttlSeconds must be at most 3600", b -> b.put("ttlSeconds", 3601)),
                broken("fractional ttlSeconds", "ttlSeconds must be a whole number", b -> b.put("ttlSeconds", 1.5)),
                broken("ttlSeconds as text", "ttlSeconds must be a whole number", b -> b.put("ttlSeconds", "60")),
                broken("huge ttlSeconds", "ttlSeconds must be a whole number", b -> b.put("ttlSeconds", BigInteger.TEN.pow(30))),
                broken("heartbeat below 5 seconds", "heartbeatIntervalSeconds must be at least 5",
                        b -> b.put("heartbeatIntervalSeconds", 4)),
                broken("zero heartbeat", "heartbeatIntervalSeconds must be at least 5", b -> b.put("heartbeatIntervalSeconds", 0)),
                broken("heartbeat longer than the ttl", "heartbeatIntervalSeconds must be at most ttlSeconds (900)",
                        b -> b.put("heartbeatIntervalSeconds", 901)),
                broken("fractional heartbeat", "heartbeatIntervalSeconds must be a whole number",
                        b -> b.put("heartbeatIntervalSeconds", 30.5)),
                broken("heartbeat as text", "heartbeatIntervalSeconds must be a whole number",
                        b -> b.put("heartbeatIntervalSeconds", "30")),
                broken("missing justification", "justification is required", b -> b.remove("justification")),
                broken("blank justification", "justification must not be blank", b -> b.put("justification", " \t")),
                broken("justification too long", "justification must be at most 1000", b -> b.put("justification", "j".repeat(1001))),
                broken("justification with control characters", "justification must not contain control characters",
                        b -> b.put("justification", "fake\nlog line")));
    }

    private static Arguments broken(String what, String expectedMessage, Consumer<Map<String, Object>> breakIt) {
        return Arguments.of(what, expectedMessage, breakIt);
    }

    private static List<Object> resources(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> (Object) Map.of("type", "http", "id", "svc-" + i, "actions", List.of("get")))
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenBodies")
    void shouldRejectNamingTheFieldWhenARuleIsBroken(String what, String expectedMessage, Consumer<Map<String, Object>> breakIt) {
        // given
        Map<String, Object> body = validBody();
        breakIt.accept(body);

        // when
        InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> rules.validate(body));

        // then
        assertTrue(error.getMessage().startsWith(expectedMessage) || error.getMessage().contains(expectedMessage),
                () -> what + ": got '" + error.getMessage() + "'");
        assertTrue(error.getMessage().contains(error.field()), () -> "message names the field: " + error.getMessage());
    }

    @Test
    void shouldAcceptWithSortedDistinctActionsWhenBodyIsValid() {
        // given
        Map<String, Object> body = validBody();

        // when
        ValidAccessRequest request = rules.validate(body);

        // then
        assertEquals("deploy-42", request.taskId());
        assertEquals("prod", request.environment());
        assertEquals(List.of(new RequestedResource("postgres", "orders-db", List.of("read", "write"))), request.resources());
        assertEquals(900, request.ttlSeconds());
        assertNull(request.heartbeatIntervalSeconds());
        assertEquals("release 4.2 migration", request.justification());
    }

    @ParameterizedTest(name = "{0} s")
    @ValueSource(ints = {5, 60, 900})
    void shouldAcceptTheHeartbeatWhenItIsBetweenFiveSecondsAndTheTtl(int interval) {
        // given
        Map<String, Object> body = validBody();
        body.put("heartbeatIntervalSeconds", interval);

        // when
        ValidAccessRequest request = rules.validate(body);

        // then
        assertEquals((long) interval, request.heartbeatIntervalSeconds());
    }

    @Test
    void shouldHaveNoHeartbeatWhenItIsNull() {
        // given
        Map<String, Object> body = validBody();
        body.put("heartbeatIntervalSeconds", null);

        // when
        ValidAccessRequest request = rules.validate(body);

        // then
        assertNull(request.heartbeatIntervalSeconds());
    }

    @Test
    void shouldKeepTheFingerprintOfEarlierVersionsWhenNoHeartbeatIsAsked() throws Exception {
        // given the canonical form fingerprints were computed from before heartbeats existed
        String canonical = "9:deploy-42;4:prod;3:900;21:release 4.2 migration;8:postgres;9:orders-db;10:read,write;";
        String stored = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));

        // when
        String fingerprint = rules.validate(validBody()).fingerprint();

        // then a retry after the upgrade still matches its stored request
        assertEquals(stored, fingerprint);
    }

    @Test
    void shouldGiveAnotherFingerprintWhenOnlyTheHeartbeatDiffers() {
        // given
        Map<String, Object> withHeartbeat = validBody();
        withHeartbeat.put("heartbeatIntervalSeconds", 30);
        Map<String, Object> otherHeartbeat = validBody();
        otherHeartbeat.put("heartbeatIntervalSeconds", 60);

        // when
        String none = rules.validate(validBody()).fingerprint();
        String thirty = rules.validate(withHeartbeat).fingerprint();
        String sixty = rules.validate(otherHeartbeat).fingerprint();

        // then
        assertNotEquals(none, thirty);
        assertNotEquals(thirty, sixty);
    }

    @Test
    void shouldAcceptWhenTtlIsExactlyTheMaximumAndResourcesAreFifty() {
        // given
        Map<String, Object> body = validBody();
        body.put("ttlSeconds", 3600L);
        body.put("resources", resources(50));

        // when
        ValidAccessRequest request = rules.validate(body);

        // then
        assertEquals(3600, request.ttlSeconds());
        assertEquals(50, request.resources().size());
    }

    @Test
    void shouldGiveTheSameFingerprintWhenOnlyActionOrderDiffers() {
        // given
        Map<String, Object> reordered = validBody();
        firstResource(reordered).put("actions", List.of("read", "write"));

        // when
        String first = rules.validate(validBody()).fingerprint();
        String second = rules.validate(reordered).fingerprint();

        // then
        assertEquals(first, second);
    }

    @Test
    void shouldGiveAnotherFingerprintWhenAnyFieldDiffers() {
        // given
        Map<String, Object> longer = validBody();
        longer.put("ttlSeconds", 901);

        // when
        String first = rules.validate(validBody()).fingerprint();
        String second = rules.validate(longer).fingerprint();

        // then
        assertNotEquals(first, second);
    }

    @Test
    void shouldRejectNamingTheHeaderWhenIdempotencyKeyIsMalformed() {
        // when
        InvalidRequestException error = assertThrows(InvalidRequestException.class,
                () -> AccessRequestRules.requireIdempotencyKeyOrNull("key with spaces"));

        // then
        assertEquals("Idempotency-Key", error.field());
        assertTrue(error.getMessage().startsWith("Idempotency-Key must be"), error.getMessage());
    }
}
