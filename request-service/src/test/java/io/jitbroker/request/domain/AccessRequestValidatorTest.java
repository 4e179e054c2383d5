package io.jitbroker.request.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import io.jitbroker.request.api.AccessRequestBody;
import java.util.ArrayList;
import java.util.Base64;
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

class AccessRequestValidatorTest {

    private final AccessRequestValidator validator = new AccessRequestValidator(Set.of("dev", "staging", "prod"), 3600);
    /** A real RFC 7638 thumbprint's shape: SHA-256, base64url without padding. */
    private static final String THUMBPRINT = Base64.getUrlEncoder().withoutPadding().encodeToString(sha256("a DPoP key"));

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

    /** The body as the HTTP layer hands it to the validator: a record whose JSON types were checked on reading. */
    @SuppressWarnings("unchecked")
    static AccessRequestFields fields(Map<String, Object> body) {
        List<Object> resources = (List<Object>) body.get("resources");
        return new AccessRequestBody((String) body.get("taskId"), (String) body.get("environment"),
                resources == null ? null : resources.stream().map(r -> {
                    Map<String, Object> resource = (Map<String, Object>) r;
                    return new AccessRequestBody.Resource((String) resource.get("type"), (String) resource.get("id"),
                            (List<String>) resource.get("actions"));
                }).toList(),
                wholeNumber(body.get("ttlSeconds")), wholeNumber(body.get("heartbeatIntervalSeconds")),
                (String) body.get("justification"), (Boolean) body.get("breakGlass"), (String) body.get("dpopJkt"));
    }

    private static Long wholeNumber(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> firstResource(Map<String, Object> body) {
        return ((List<Map<String, Object>>) body.get("resources")).get(0);
    }

    static Stream<Arguments> brokenBodies() {
        return Stream.of(
                broken("missing taskId", "taskId is required", b -> b.remove("taskId")),
                broken("blank taskId", "taskId must be 1 to 128", b -> b.put("taskId", "  ")),
                broken("taskId with a slash", "taskId must be 1 to 128", b -> b.put("taskId", "a/b")),
                broken("taskId too long", "taskId must be 1 to 128", b -> b.put("taskId", "t".repeat(129))),
                broken("missing environment", "environment is required", b -> b.remove("environment")),
                broken("unknown environment", "environment must be one of dev, prod, staging", b -> b.put("environment", "qa")),
                broken("missing resources", "resources is required", b -> b.remove("resources")),
                broken("empty resources", "resources must name at least one", b -> b.put("resources", List.of())),
                broken("51 resources", "resources must name at most 50", b -> b.put("resources", resources(51))),
                broken("blank resource type", "resources[0].type must not be blank", b -> firstResource(b).put("type", "")),
                broken("unpaired surrogate in resource id", "resources[0].id must be valid Unicode",
                        b -> firstResource(b).put("id", "inv\udc00")),
                broken("unpaired surrogate in action", "resources[0].actions[0] must be valid Unicode",
                        b -> firstResource(b).put("actions", List.of("re\ud800ad"))),
                broken("unpaired surrogate in justification", "justification must be valid Unicode",
                        b -> b.put("justification", "deploy \ud83d build")),
                broken("missing resource id", "resources[0].id is required", b -> firstResource(b).remove("id")),
                broken("empty actions", "resources[0].actions must name at least one action", b -> firstResource(b).put("actions", List.of())),
                broken("blank action", "resources[0].actions[1] must not be blank", b -> firstResource(b).put("actions", List.of("read", " "))),
                broken("repeated resource", "resources[1] repeats type 'postgres' and id 'orders-db'",
                        b -> b.put("resources", List.of(firstResource(b), firstResource(b)))),
                broken("missing ttlSeconds", "ttlSeconds is required", b -> b.remove("ttlSeconds")),
                broken("zero ttlSeconds", "ttlSeconds must be greater than 0", b -> b.put("ttlSeconds", 0)),
                broken("negative ttlSeconds", "ttlSeconds must be greater than 0", b -> b.put("ttlSeconds", -5L)),
                broken("ttlSeconds over the maximum", "ttlSeconds must be at most 3600", b -> b.put("ttlSeconds", 3601)),
                broken("heartbeat below 5 seconds", "heartbeatIntervalSeconds must be at least 5",
                        b -> b.put("heartbeatIntervalSeconds", 4)),
                broken("zero heartbeat", "heartbeatIntervalSeconds must be at least 5", b -> b.put("heartbeatIntervalSeconds", 0)),
                broken("heartbeat longer than the ttl", "heartbeatIntervalSeconds must be at most ttlSeconds (900)",
                        b -> b.put("heartbeatIntervalSeconds", 901)),
                broken("missing justification", "justification is required", b -> b.remove("justification")),
                broken("blank justification", "justification must not be blank", b -> b.put("justification", " \t")),
                broken("justification too long", "justification must be at most 1000", b -> b.put("justification", "j".repeat(1001))),
                broken("justification with control characters", "justification must not contain control characters",
                        b -> b.put("justification", "fake\nlog line")),
                broken("break-glass with 9 non-blank characters of justification",
                        "justification must have at least 10 non-blank characters for a break-glass request", b -> {
                            b.put("breakGlass", true);
                            b.put("justification", "a b c d e f g h i      ");
                        }),
                broken("dpopJkt of 42 characters", "dpopJkt must be an RFC 7638 JWK SHA-256 thumbprint",
                        b -> b.put("dpopJkt", THUMBPRINT.substring(1))),
                broken("dpopJkt of 44 characters", "dpopJkt must be an RFC 7638 JWK SHA-256 thumbprint",
                        b -> b.put("dpopJkt", THUMBPRINT + "A")),
                broken("dpopJkt with padding", "dpopJkt must be an RFC 7638 JWK SHA-256 thumbprint",
                        b -> b.put("dpopJkt", THUMBPRINT.substring(1) + "=")),
                broken("dpopJkt in standard base64", "dpopJkt must be an RFC 7638 JWK SHA-256 thumbprint",
                        b -> b.put("dpopJkt", "+" + THUMBPRINT.substring(1))),
                broken("dpopJkt with spare bits set", "dpopJkt must be an RFC 7638 JWK SHA-256 thumbprint",
                        b -> b.put("dpopJkt", THUMBPRINT.substring(0, 42) + "B")));
    }

    private static Arguments broken(String what, String expectedMessage, Consumer<Map<String, Object>> breakIt) {
        return Arguments.of(what, expectedMessage, breakIt);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
        InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> validator.validate(fields(body)));

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
        ValidAccessRequest request = validator.validate(fields(body));

        // then
        assertEquals("deploy-42", request.taskId());
        assertEquals("prod", request.environment());
        assertEquals(List.of(new RequestedResource("postgres", "orders-db", List.of("read", "write"))), request.resources());
        assertEquals(900, request.ttlSeconds());
        assertNull(request.heartbeatIntervalSeconds());
        assertEquals("release 4.2 migration", request.justification());
        assertFalse(request.breakGlass());
        assertNull(request.dpopJkt());
    }

    @Test
    void shouldKeepTheJustificationWhenItHasACharacterBeyondTheBasicPlane() {
        // given: a surrogate pair, unlike a lone half of one, is a character
        Map<String, Object> body = validBody();
        body.put("justification", "deploy \ud83d\ude80 build 42");

        // when
        ValidAccessRequest request = validator.validate(fields(body));

        // then
        assertEquals("deploy \ud83d\ude80 build 42", request.justification());
    }

    @Test
    void shouldAcceptBreakGlassWhenTheJustificationHasTenNonBlankCharacters() {
        // given
        Map<String, Object> body = validBody();
        body.put("breakGlass", true);
        body.put("justification", " INC-4 2 prod ");

        // when
        ValidAccessRequest request = validator.validate(fields(body));

        // then
        assertTrue(request.breakGlass());
        assertEquals(" INC-4 2 prod ", request.justification());
    }

    @Test
    void shouldNotBeBreakGlassWhenItIsFalseOrNull() {
        // given
        Map<String, Object> no = validBody();
        no.put("breakGlass", false);
        no.put("justification", "short");
        Map<String, Object> nothing = validBody();
        nothing.put("breakGlass", null);

        // then
        assertFalse(validator.validate(fields(no)).breakGlass());
        assertFalse(validator.validate(fields(nothing)).breakGlass());
    }

    @Test
    void shouldKeepTheThumbprintWhenDpopJktIsValid() {
        // given
        Map<String, Object> body = validBody();
        body.put("dpopJkt", THUMBPRINT);

        // when
        ValidAccessRequest request = validator.validate(fields(body));

        // then
        assertEquals(THUMBPRINT, request.dpopJkt());
        assertEquals(43, request.dpopJkt().length());
    }

    @Test
    void shouldGiveAnotherFingerprintWhenOnlyBreakGlassOrTheDpopKeyDiffers() {
        // given
        Map<String, Object> breakGlass = validBody();
        breakGlass.put("breakGlass", true);
        Map<String, Object> bound = validBody();
        bound.put("dpopJkt", THUMBPRINT);
        Map<String, Object> explicitlyNot = validBody();
        explicitlyNot.put("breakGlass", false);

        // when
        String plain = validator.validate(fields(validBody())).fingerprint();

        // then
        assertNotEquals(plain, validator.validate(fields(breakGlass)).fingerprint());
        assertNotEquals(plain, validator.validate(fields(bound)).fingerprint());
        assertNotEquals(validator.validate(fields(breakGlass)).fingerprint(), validator.validate(fields(bound)).fingerprint());
        assertEquals(plain, validator.validate(fields(explicitlyNot)).fingerprint());
    }

    @ParameterizedTest(name = "{0} s")
    @ValueSource(ints = {5, 60, 900})
    void shouldAcceptTheHeartbeatWhenItIsBetweenFiveSecondsAndTheTtl(int interval) {
        // given
        Map<String, Object> body = validBody();
        body.put("heartbeatIntervalSeconds", interval);

        // when
        ValidAccessRequest request = validator.validate(fields(body));

        // then
        assertEquals((long) interval, request.heartbeatIntervalSeconds());
    }

    @Test
    void shouldHaveNoHeartbeatWhenItIsNull() {
        // given
        Map<String, Object> body = validBody();
        body.put("heartbeatIntervalSeconds", null);

        // when
        ValidAccessRequest request = validator.validate(fields(body));

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
        String fingerprint = validator.validate(fields(validBody())).fingerprint();

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
        String none = validator.validate(fields(validBody())).fingerprint();
        String thirty = validator.validate(fields(withHeartbeat)).fingerprint();
        String sixty = validator.validate(fields(otherHeartbeat)).fingerprint();

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
        ValidAccessRequest request = validator.validate(fields(body));

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
        String first = validator.validate(fields(validBody())).fingerprint();
        String second = validator.validate(fields(reordered)).fingerprint();

        // then
        assertEquals(first, second);
    }

    @Test
    void shouldGiveAnotherFingerprintWhenAnyFieldDiffers() {
        // given
        Map<String, Object> longer = validBody();
        longer.put("ttlSeconds", 901);

        // when
        String first = validator.validate(fields(validBody())).fingerprint();
        String second = validator.validate(fields(longer)).fingerprint();

        // then
        assertNotEquals(first, second);
    }

    @Test
    void shouldRejectNamingTheHeaderWhenIdempotencyKeyIsMalformed() {
        // when
        InvalidRequestException error = assertThrows(InvalidRequestException.class,
                () -> AccessRequestValidator.requireIdempotencyKeyOrNull("key with spaces"));

        // then
        assertEquals("Idempotency-Key", error.field());
        assertTrue(error.getMessage().startsWith("Idempotency-Key must be"), error.getMessage());
    }
}
