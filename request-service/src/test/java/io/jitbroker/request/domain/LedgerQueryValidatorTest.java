package io.jitbroker.request.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LedgerQueryValidatorTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final LedgerQueryValidator VALIDATOR = new LedgerQueryValidator(Set.of("NO_MATCHING_RULE", "EXPIRED", "MANUAL"));

    @Test
    void shouldReadEveryFilterWhenAllAreGiven() {
        // given
        PageCursor cursor = new PageCursor(Instant.parse("2026-11-23T11:00:00Z"), "req-9");
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        parameters.put("workloadId", List.of("spiffe://dev.local/ci/deployer"));
        parameters.put("taskId", List.of("deploy-42"));
        parameters.put("environment", List.of("prod"));
        parameters.put("status", List.of("REVOKED"));
        parameters.put("reason", List.of("MANUAL"));
        parameters.put("breakGlass", List.of("true"));
        parameters.put("active", List.of("true"));
        parameters.put("from", List.of("2026-11-23T10:00:00Z"));
        parameters.put("to", List.of("2026-11-23T13:00:00+01:00"));
        parameters.put("limit", List.of("500"));
        parameters.put("cursor", List.of(cursor.encode()));

        // when
        LedgerQuery query = VALIDATOR.parse(new QueryParameters(parameters), NOW);

        // then
        assertEquals(new LedgerQuery("spiffe://dev.local/ci/deployer", "deploy-42", "prod", LedgerStatus.REVOKED, "MANUAL",
                true, NOW, Instant.parse("2026-11-23T10:00:00Z"), Instant.parse("2026-11-23T12:00:00Z"),
                new PageRequest(500, cursor)), query);
    }

    @Test
    void shouldFilterNothingAndReturnFiftyWhenNothingIsGiven() {
        // when
        LedgerQuery query = VALIDATOR.parse(new QueryParameters(Map.of()), NOW);

        // then
        assertEquals(new LedgerQuery(null, null, null, null, null, null, null, null, null,
                new PageRequest(PageRequest.DEFAULT_LIMIT, null)), query);
    }

    @Test
    void shouldTreatABlankValueAsAbsentWhenAFormSendsAnEmptyField() {
        // when
        LedgerQuery query = VALIDATOR.parse(parameters("workloadId", ""), NOW);

        // then
        assertNull(query.workloadId());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("workloadId", parameters("workloadId", "deployer")),
                Arguments.of("taskId", parameters("taskId", "a task")),
                Arguments.of("environment", parameters("environment", "e".repeat(65))),
                Arguments.of("status", parameters("status", "issued")),
                Arguments.of("reason", parameters("reason", "TASK_COMPLETED")),
                Arguments.of("breakGlass", parameters("breakGlass", "1")),
                Arguments.of("active", parameters("active", "false")),
                Arguments.of("from", parameters("from", "2026-11-23")),
                Arguments.of("to", parameters("to", "2026-11-23T10:00:00")),
                Arguments.of("from", parameters("from", "+999999-01-01T00:00:00Z")),
                Arguments.of("to", parameters("to", "-4714-01-01T00:00:00Z")),
                Arguments.of("to", new QueryParameters(Map.of("from", List.of("2026-11-23T10:00:00Z"),
                        "to", List.of("2026-11-23T10:00:00Z")))),
                Arguments.of("limit", parameters("limit", "0")),
                Arguments.of("limit", parameters("limit", "501")),
                Arguments.of("limit", parameters("limit", "1e2")),
                Arguments.of("cursor", parameters("cursor", "bm90IGEgY3Vyc29y")),
                Arguments.of("workload", parameters("workload", "spiffe://dev.local/ci/deployer")),
                Arguments.of("status", new QueryParameters(Map.of("status", List.of("ISSUED", "REVOKED")))),
                Arguments.of("reason", parameters("reason", "MANUAL\n")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalid")
    void shouldRefuseNamingTheParameterWhenItIsInvalid(String parameter, QueryParameters parameters) {
        // when
        InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> VALIDATOR.parse(parameters, NOW));

        // then
        assertEquals(parameter, error.field());
        assertTrue(error.getMessage().contains(parameter), error.getMessage());
    }

    @Test
    void shouldListTheAllowedParametersWhenAnUnknownOneIsGiven() {
        // when
        InvalidRequestException error = assertThrows(InvalidRequestException.class,
                () -> VALIDATOR.parse(parameters("sort", "asc"), NOW));

        // then
        assertTrue(error.getMessage().contains("active, breakGlass, cursor, environment, from, limit, reason, status, taskId, "
                + "to, workloadId"), error.getMessage());
    }

    @Test
    void shouldListTheReasonCodesWhenAnUnknownReasonIsGiven() {
        // when
        InvalidRequestException error = assertThrows(InvalidRequestException.class,
                () -> VALIDATOR.parse(parameters("reason", "BECAUSE"), NOW));

        // then
        assertTrue(error.getMessage().endsWith("EXPIRED, MANUAL, NO_MATCHING_RULE"), error.getMessage());
    }

    private static QueryParameters parameters(String name, String value) {
        return new QueryParameters(Map.of(name, List.of(value)));
    }
}
