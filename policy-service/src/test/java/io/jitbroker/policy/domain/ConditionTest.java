package io.jitbroker.policy.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ConditionTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:15:30Z");

    private static ConditionVariables variables() {
        AccessQuery query = new AccessQuery("spiffe://dev.local/ci/deployer", "staging",
                List.of(new ResourceAccess("http", "inventory-api", List.of("read", "write"))), 300,
                OptionalLong.empty(), "task-7", "deploy release 42 (CHG-1234)", true, Map.of("team", "payments"));
        ConditionVariables variables = ConditionVariables.of(query, 1, NOW);
        variables.resource("http", "inventory-api", List.of("read", "write"));
        return variables;
    }

    private static ConditionResult evaluate(String expression) {
        return Condition.compile(expression).evaluate(variables());
    }

    @Test
    void shouldBeTrueWhenExpressionHoldsForEveryVariable() {
        // given: one expression reading each declared variable
        String expression = """
                request.taskId == 'task-7' && request.environment == 'staging' && request.ttlSeconds == 300
                && request.justification.startsWith('deploy') && request.resourceCount == 1 && request.breakGlass
                && workload.id == 'spiffe://dev.local/ci/deployer' && workload.trustDomain == 'dev.local'
                && workload.path == '/ci/deployer' && workload.claims['team'] == 'payments' && !('env' in workload.claims)
                && resource.type == 'http' && resource.id == 'inventory-api' && 'write' in resource.actions
                && size(resource.actions) == 2
                && now == timestamp('2026-11-23T10:15:30Z') && now.getHours() == 10""";

        // when
        ConditionResult result = evaluate(expression);

        // then
        assertEquals(ConditionResult.TRUE, result);
        assertEquals(ConditionVariable.values().length, 14, "a new variable needs a line in the expression above");
    }

    @Test
    void shouldBeFalseWhenExpressionDoesNotHold() {
        assertEquals(ConditionResult.FALSE, evaluate("request.ttlSeconds > 600"));
    }

    @Test
    void shouldSearchTheTextWhenMatchesIsCalledWithConstantOrComputedRegex() {
        // then: a search, not a whole-string match, whichever way it is called and wherever the regex comes from
        assertEquals(ConditionResult.TRUE, evaluate("request.justification.matches('CHG-[0-9]+')"));
        assertEquals(ConditionResult.TRUE, evaluate("matches(request.justification, 'release [0-9]+')"));
        assertEquals(ConditionResult.FALSE, evaluate("request.justification.matches('^CHG')"));
        assertEquals(ConditionResult.TRUE, evaluate("request.justification.matches(workload.claims['team'].size() > 0 ? 'CHG' : 'x')"));
    }

    @Test
    void shouldBeErrorWhenClaimIsMissingAtRunTime() {
        // when: indexing a map by a key it lacks is an evaluation error (use 'x' in workload.claims to test first)
        ConditionResult result = evaluate("workload.claims['ticket'] == 'ABC-1'");

        // then
        assertEquals(ConditionResult.Status.ERROR, result.status());
        assertTrue(result.error().contains("ticket"), result.error());
    }

    @Test
    void shouldBeErrorWhenDynamicResultIsNotABool() {
        // given: dyn() hides the type from the checker
        ConditionResult result = evaluate("dyn(request.environment)");

        // then
        assertEquals(ConditionResult.Status.ERROR, result.status());
        assertEquals("the condition gave String staging, not a bool", result.error());
    }

    @Test
    void shouldBeErrorWhenComputedRegexIsInvalid() {
        // when
        ConditionResult result = evaluate("request.justification.matches(request.taskId + '(')");

        // then
        assertEquals(ConditionResult.Status.ERROR, result.status());
        assertTrue(result.error().contains("task-7("), result.error());
    }

    @Test
    void shouldRefuseWhenExpressionDoesNotParse() {
        // when
        InvalidConditionException error = assertThrows(InvalidConditionException.class,
                () -> Condition.compile("request.ttlSeconds >"));

        // then
        assertTrue(error.getMessage().contains("at column"), error.getMessage());
    }

    @Test
    void shouldNameTheQualifiedFieldWhenFieldIsUndeclared() {
        // when
        InvalidConditionException error = assertThrows(InvalidConditionException.class,
                () -> Condition.compile("request.ttlSeconds < 600 && request.ticket == 'x'"));

        // then
        assertEquals("undeclared reference to 'request.ticket' (request has: environment, ttlSeconds, taskId, justification, "
                + "resourceCount, breakGlass) at column 29 of the condition", error.getMessage());
    }

    @Test
    void shouldNameTheVariablesWhenRootIsMisspelled() {
        // when
        InvalidConditionException error = assertThrows(InvalidConditionException.class,
                () -> Condition.compile("requst.ttlSeconds > 5"));

        // then
        assertEquals("undeclared reference to 'requst.ttlSeconds' (variables are request.*, workload.*, resource.* and now) "
                + "at column 1 of the condition", error.getMessage());
    }

    @Test
    void shouldRefuseWhenFieldTypeDoesNotFit() {
        // when: ttlSeconds is an int, not a string
        InvalidConditionException error = assertThrows(InvalidConditionException.class,
                () -> Condition.compile("request.ttlSeconds > '600'"));

        // then
        assertTrue(error.getMessage().startsWith("found no matching overload for '_>_' applied to '(int, string)'"),
                error.getMessage());
    }

    @Test
    void shouldRefuseWhenResultIsNotABool() {
        // when
        InvalidConditionException error = assertThrows(InvalidConditionException.class,
                () -> Condition.compile("request.environment"));

        // then
        assertEquals("expected type 'bool' but found 'string' at column 8 of the condition", error.getMessage());
    }

    @Test
    void shouldRefuseWhenConstantRegexIsInvalid() {
        // when
        InvalidConditionException error = assertThrows(InvalidConditionException.class,
                () -> Condition.compile("request.justification.matches('CHG-[0-9')"));

        // then
        assertTrue(error.getMessage().startsWith("invalid regex 'CHG-[0-9': "), error.getMessage());
    }

    @Test
    void shouldRefuseWhenConstantRegexIsTooLarge() {
        // when
        InvalidConditionException error = assertThrows(InvalidConditionException.class,
                () -> Condition.compile("request.justification.matches('(a{1,100}){1,50}')"));

        // then
        assertTrue(error.getMessage().contains("too large"), error.getMessage());
    }

    @Test
    void shouldGiveTheLineWhenErrorIsOnALaterLineOfTheExpression() {
        // when
        InvalidConditionException error = assertThrows(InvalidConditionException.class,
                () -> Condition.compile("request.ttlSeconds < 600\n&& workload.team == 'x'"));

        // then
        assertEquals(2, error.expressionLine());
        assertTrue(error.getMessage().startsWith("undeclared reference to 'workload.team' (workload has: id, trustDomain, path, claims) "
                + "at line 2, column 4"), error.getMessage());
    }
}
