package io.jitbroker.policy.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ConditionTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:15:30Z");

    private static ConditionVariables variables() {
        AccessQuery query = new AccessQuery("spiffe://dev.local/ci/deployer", "staging",
                List.of(new ResourceAccess("http", "inventory-api", List.of("read", "write"))), 300,
                OptionalLong.empty(), "task-7", "deploy release 42");
        ConditionVariables variables = ConditionVariables.of(query, 1, NOW);
        variables.resource("http", "inventory-api", List.of("read", "write"));
        return variables;
    }

    private static ConditionResult evaluate(String expression) {
        return Condition.compile(expression).evaluate(variables());
    }

    @Test
    void shouldBeTrueWhenExpressionHoldsForEveryVariable() {
        // given: one expression reading each declared variable and field
        String expression = """
                request.taskId == 'task-7' && request.environment == 'staging' && request.ttlSeconds == 300
                && request.justification.startsWith('deploy') && request.resourceCount == 1
                && workload.id == 'spiffe://dev.local/ci/deployer' && workload.trustDomain == 'dev.local'
                && workload.path == '/ci/deployer'
                && resource.type == 'http' && resource.id == 'inventory-api' && 'write' in resource.actions
                && size(resource.actions) == 2
                && now == timestamp('2026-11-23T10:15:30Z') && now.getHours() == 10""";

        // when
        ConditionResult result = evaluate(expression);

        // then
        assertEquals(ConditionResult.TRUE, result);
    }

    @Test
    void shouldBeFalseWhenExpressionDoesNotHold() {
        assertEquals(ConditionResult.FALSE, evaluate("request.ttlSeconds > 600"));
    }

    @Test
    void shouldBeErrorWhenKeyIsMissingAtRunTime() {
        // when
        ConditionResult result = evaluate("request.ticket == 'ABC-1'");

        // then
        assertEquals(ConditionResult.Status.ERROR, result.status());
        assertTrue(result.error().contains("ticket"), result.error());
    }

    @Test
    void shouldBeErrorWhenResultIsNotABool() {
        // given: type-checks (map values are dyn) but gives a string
        ConditionResult result = evaluate("request.environment");

        // then
        assertEquals(ConditionResult.Status.ERROR, result.status());
        assertEquals("the condition gave String staging, not a bool", result.error());
    }

    @Test
    void shouldRefuseWhenExpressionDoesNotParse() {
        // when
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Condition.compile("request.ttlSeconds >"));

        // then
        assertTrue(error.getMessage().contains("ERROR"), error.getMessage());
    }

    @Test
    void shouldRefuseWhenVariableIsUndeclared() {
        // when
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Condition.compile("requst.ttlSeconds > 5"));

        // then
        assertTrue(error.getMessage().contains("undeclared reference to 'requst'"), error.getMessage());
    }

    @Test
    void shouldRefuseWhenTypesDoNotFit() {
        // when
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Condition.compile("now > 5"));

        // then
        assertTrue(error.getMessage().contains("found no matching overload"), error.getMessage());
    }

    @Test
    void shouldRefuseWhenResultCannotBeABool() {
        // when
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Condition.compile("'always'"));

        // then
        assertTrue(error.getMessage().contains("bool"), error.getMessage());
    }
}
