package io.jitbroker.request.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManualRevocationValidatorTest {

    private static final String WORKLOAD = "spiffe://dev.local/ci/deployer";
    private static final String REASON = "INC-4711: leaked CI logs";

    private static Map<String, Object> body(Object... fieldsAndValues) {
        Map<String, Object> body = new HashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            body.put((String) fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return body;
    }

    /** The validator fed as the HTTP layer feeds it: the body record's fields, their JSON types checked on reading. */
    private static ManualRevocation validate(Map<String, Object> body) {
        return ManualRevocationValidator.validate((String) body.get("scope"), (String) body.get("grantId"),
                (String) body.get("taskId"), (String) body.get("workloadId"), (String) body.get("reason"));
    }

    @Test
    void shouldReadAGrantRevocationWhenScopeIsGrant() {
        // when
        ManualRevocation revocation = validate(body("scope", "GRANT", "grantId",
                "0b6f6b6e-3f0e-4a53-9d0c-1b2d3c4e5f60", "reason", REASON));

        // then
        assertEquals(new ManualRevocation(ManualRevocation.Scope.GRANT, "0b6f6b6e-3f0e-4a53-9d0c-1b2d3c4e5f60", null, null,
                REASON), revocation);
    }

    @Test
    void shouldReadATaskRevocationWithOrWithoutItsWorkloadWhenScopeIsTask() {
        // when
        ManualRevocation any = validate(body("scope", "TASK", "taskId", "deploy-42", "reason", REASON));
        ManualRevocation one = validate(body("scope", "TASK", "taskId", "deploy-42",
                "workloadId", WORKLOAD, "reason", REASON));

        // then
        assertEquals(new ManualRevocation(ManualRevocation.Scope.TASK, null, "deploy-42", null, REASON), any);
        assertEquals(new ManualRevocation(ManualRevocation.Scope.TASK, null, "deploy-42", WORKLOAD, REASON), one);
    }

    @Test
    void shouldReadAWorkloadRevocationWhenScopeIsWorkload() {
        // when
        ManualRevocation revocation = validate(body("scope", "WORKLOAD", "workloadId", WORKLOAD,
                "reason", REASON));

        // then
        assertEquals(new ManualRevocation(ManualRevocation.Scope.WORKLOAD, null, null, WORKLOAD, REASON), revocation);
    }

    static Stream<Arguments> brokenBodies() {
        return Stream.of(
                broken("missing scope", "scope", "scope is required; allowed values are GRANT, TASK, WORKLOAD",
                        body("grantId", "g-1", "reason", REASON)),
                broken("unknown scope", "scope", "scope is not valid; allowed values are GRANT, TASK, WORKLOAD",
                        body("scope", "EVERYTHING", "reason", REASON)),
                broken("grant without grantId", "grantId", "grantId is required for scope GRANT",
                        body("scope", "GRANT", "reason", REASON)),
                broken("grantId with a slash", "grantId", "grantId must be 1 to 256 characters of letters, digits, '.', '_', ':' or '-'",
                        body("scope", "GRANT", "grantId", "../g-1", "reason", REASON)),
                broken("grant with a taskId too", "taskId", "taskId does not apply to scope GRANT; send grantId",
                        body("scope", "GRANT", "grantId", "g-1", "taskId", "t-1", "reason", REASON)),
                broken("grant with a workloadId too", "workloadId", "workloadId does not apply to scope GRANT; send grantId",
                        body("scope", "GRANT", "grantId", "g-1", "workloadId", WORKLOAD, "reason", REASON)),
                broken("task without taskId", "taskId", "taskId is required",
                        body("scope", "TASK", "reason", REASON)),
                broken("task with a grantId too", "grantId",
                        "grantId does not apply to scope TASK; send taskId (and optionally workloadId)",
                        body("scope", "TASK", "taskId", "t-1", "grantId", "g-1", "reason", REASON)),
                broken("task with a bad workloadId", "workloadId",
                        "workloadId must be a SPIFFE workload ID (spiffe://<trust domain>/<path>)",
                        body("scope", "TASK", "taskId", "t-1", "workloadId", "deployer", "reason", REASON)),
                broken("workload without workloadId", "workloadId", "workloadId is required",
                        body("scope", "WORKLOAD", "reason", REASON)),
                broken("workloadId not a SPIFFE ID", "workloadId",
                        "workloadId must be a SPIFFE workload ID (spiffe://<trust domain>/<path>)",
                        body("scope", "WORKLOAD", "workloadId", "https://dev.local/ci", "reason", REASON)),
                broken("workload with a taskId too", "taskId", "taskId does not apply to scope WORKLOAD; send workloadId",
                        body("scope", "WORKLOAD", "workloadId", WORKLOAD, "taskId", "t-1", "reason", REASON)),
                broken("missing reason", "reason", "reason is required",
                        body("scope", "WORKLOAD", "workloadId", WORKLOAD)),
                broken("blank reason", "reason", "reason must not be blank",
                        body("scope", "WORKLOAD", "workloadId", WORKLOAD, "reason", " ")),
                broken("reason over 500 characters", "reason", "reason must be at most 500 characters",
                        body("scope", "WORKLOAD", "workloadId", WORKLOAD, "reason", "r".repeat(501))));
    }

    private static Arguments broken(String what, String field, String message, Map<String, Object> body) {
        return Arguments.of(what, field, message, body);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenBodies")
    void shouldRejectNamingTheFieldWhenARuleIsBroken(String what, String field, String message, Map<String, Object> body) {
        // when
        InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> validate(body));

        // then
        assertEquals(field, error.field(), what);
        assertEquals(message, error.getMessage(), what);
    }
}
