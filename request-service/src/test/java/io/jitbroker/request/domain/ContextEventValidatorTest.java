package io.jitbroker.request.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContextEventValidatorTest {

    private static final String WORKLOAD = "spiffe://dev.local/ci/deployer";
    private final ContextEventValidator validator = new ContextEventValidator(Set.of("dev", "staging", "prod"));

    /** A body that passes every rule; each test breaks one thing. */
    private static Map<String, Object> validBody() {
        Map<String, Object> body = new HashMap<>();
        body.put("workloadId", WORKLOAD);
        body.put("type", "WORKLOAD_COMPROMISED");
        body.put("environment", "prod");
        body.put("reason", "EDR flagged a reverse shell on runner 12");
        return body;
    }

    /** The validator fed as the HTTP layer feeds it: the body record's fields, their JSON types checked on reading. */
    private ValidContextEvent validate(Map<String, Object> body) {
        return validator.validate((String) body.get("workloadId"), (String) body.get("type"), (String) body.get("environment"),
                (String) body.get("reason"));
    }

    static Stream<Arguments> brokenBodies() {
        return Stream.of(
                broken("missing workloadId", "workloadId", "workloadId is required", b -> b.remove("workloadId")),
                broken("workloadId not a SPIFFE ID", "workloadId",
                        "workloadId must be a SPIFFE workload ID (spiffe://<trust domain>/<path>)", b -> b.put("workloadId", "deployer")),
                broken("workloadId without a path", "workloadId",
                        "workloadId must be a SPIFFE workload ID (spiffe://<trust domain>/<path>)", b -> b.put("workloadId", "spiffe://dev.local")),
                broken("missing type", "type",
                        "type is required; allowed values are WORKLOAD_COMPROMISED, IDENTITY_DISABLED, ENVIRONMENT_CHANGED, RISK_RAISED, WORKLOAD_CLEARED",
                        b -> b.remove("type")),
                broken("unknown type", "type",
                        "type is not valid; allowed values are WORKLOAD_COMPROMISED, IDENTITY_DISABLED, ENVIRONMENT_CHANGED, RISK_RAISED, WORKLOAD_CLEARED",
                        b -> b.put("type", "workload_compromised")),
                broken("unknown environment", "environment", "environment must be one of dev, prod, staging",
                        b -> b.put("environment", "qa")),
                broken("missing reason", "reason", "reason is required", b -> b.remove("reason")),
                broken("blank reason", "reason", "reason must not be blank", b -> b.put("reason", "  ")),
                broken("reason over 500 characters", "reason", "reason must be at most 500 characters",
                        b -> b.put("reason", "r".repeat(501))),
                broken("reason with a line break", "reason", "reason must not contain control characters",
                        b -> b.put("reason", "fine\nFAKE AUDIT LINE")));
    }

    private static Arguments broken(String what, String field, String message, Consumer<Map<String, Object>> breakIt) {
        return Arguments.of(what, field, message, breakIt);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenBodies")
    void shouldRejectNamingTheFieldWhenARuleIsBroken(String what, String field, String message,
                                                     Consumer<Map<String, Object>> breakIt) {
        // given
        Map<String, Object> body = validBody();
        breakIt.accept(body);

        // when
        InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> validate(body));

        // then
        assertEquals(field, error.field(), what);
        assertEquals(message, error.getMessage(), what);
    }

    @Test
    void shouldAcceptWhenBodyIsValid() {
        // when
        ValidContextEvent event = validate(validBody());

        // then
        assertEquals(new ValidContextEvent(WORKLOAD, ContextEventKind.WORKLOAD_COMPROMISED, "prod",
                "EDR flagged a reverse shell on runner 12"), event);
    }

    @Test
    void shouldAcceptAClearingWhenTheTypeIsWorkloadCleared() {
        // given
        Map<String, Object> body = validBody();
        body.put("type", "WORKLOAD_CLEARED");

        // when
        ValidContextEvent event = validate(body);

        // then
        assertEquals(ContextEventKind.WORKLOAD_CLEARED, event.kind());
    }

    @Test
    void shouldAffectEveryEnvironmentWhenNoneIsNamed() {
        // given
        Map<String, Object> body = validBody();
        body.remove("environment");

        // when
        ValidContextEvent event = validate(body);

        // then
        assertNull(event.environment());
    }

    @Test
    void shouldAcceptAReasonOfExactly500Characters() {
        // given
        Map<String, Object> body = validBody();
        body.put("reason", "r".repeat(500));

        // when
        ValidContextEvent event = validate(body);

        // then
        assertEquals(500, event.reason().length());
    }
}
