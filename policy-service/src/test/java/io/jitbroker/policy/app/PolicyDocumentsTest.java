package io.jitbroker.policy.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.policy.domain.Policy;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Every refusal names the line of the document it is about. */
class PolicyDocumentsTest {

    /** Line numbers of the fields below are what the tests expect. */
    private static final String VALID = """
            version: "v1"
            maxTtlSeconds: 3600
            environments: [dev, staging]
            rules:
              - id: first
                workload: "spiffe://dev.local/ci/deployer"
                environments: [staging]
                resources:
                  - {type: http, ids: [inventory-api], actions: [read]}
              - id: second
                workload: "spiffe://dev.local/ci/*"
                environments: [dev]
                resources:
                  - {type: http, ids: ["**"], actions: [read]}
                condition: "request.ttlSeconds <= 300"
            """;

    @Test
    void shouldReturnPolicyWhenDocumentIsValid() {
        // when
        Policy policy = PolicyDocuments.parse(VALID, "test");

        // then
        assertEquals("v1", policy.version());
        assertEquals(2, policy.rules().size());
    }

    @Test
    void shouldNameConditionLineWhenCelDoesNotTypeCheck() {
        // given
        String document = VALID.replace("request.ttlSeconds <= 300", "workload.path > 600");

        // when
        InvalidBundleException error = assertThrows(InvalidBundleException.class, () -> PolicyDocuments.parse(document, "test"));

        // then
        assertEquals(OptionalInt.of(15), error.line());
        assertTrue(error.getMessage().startsWith("line 15: policy test is invalid: rules[1].condition: "),
                error.getMessage());
        assertTrue(error.getMessage().contains("found no matching overload"), error.getMessage());
    }

    @Test
    void shouldNameKeyLineWhenRuleHasUnknownKey() {
        // given
        String document = VALID.replace("    environments: [dev]\n", "    environment: [dev]\n");

        // when
        InvalidBundleException error = assertThrows(InvalidBundleException.class, () -> PolicyDocuments.parse(document, "test"));

        // then
        assertEquals(OptionalInt.of(12), error.line());
        assertTrue(error.getMessage().startsWith("line 12: policy test is invalid: rules[1]: unknown key 'environment'"),
                error.getMessage());
    }

    @Test
    void shouldNameKeyLineWhenTopLevelHasUnknownKey() {
        // given
        String document = VALID + "owner: platform\n";

        // when
        InvalidBundleException error = assertThrows(InvalidBundleException.class, () -> PolicyDocuments.parse(document, "test"));

        // then
        assertEquals(OptionalInt.of(16), error.line());
        assertTrue(error.getMessage().contains("the top level: unknown key 'owner'"), error.getMessage());
    }

    @Test
    void shouldNameProblemLineWhenYamlIsMalformed() {
        // given: an unclosed flow sequence on line 3
        String document = VALID.replace("environments: [dev, staging]", "environments: [dev, staging");

        // when
        InvalidBundleException error = assertThrows(InvalidBundleException.class, () -> PolicyDocuments.parse(document, "test"));

        // then
        assertTrue(error.line().isPresent(), error.getMessage());
        assertTrue(error.line().getAsInt() >= 3 && error.line().getAsInt() <= 4, error.getMessage());
        assertTrue(error.getMessage().startsWith("line " + error.line().getAsInt() + ": policy test is not valid YAML"),
                error.getMessage());
    }

    @Test
    void shouldNameSecondOccurrenceWhenKeyIsRepeated() {
        // given
        String document = VALID.replace("maxTtlSeconds: 3600\n", "maxTtlSeconds: 3600\nmaxTtlSeconds: 60\n");

        // when
        InvalidBundleException error = assertThrows(InvalidBundleException.class, () -> PolicyDocuments.parse(document, "test"));

        // then
        assertEquals(OptionalInt.of(3), error.line());
    }

    @Test
    void shouldNameFieldLineWhenValueHasWrongType() {
        // given
        String document = VALID.replace("maxTtlSeconds: 3600", "maxTtlSeconds: an hour");

        // when
        InvalidBundleException error = assertThrows(InvalidBundleException.class, () -> PolicyDocuments.parse(document, "test"));

        // then
        assertEquals(OptionalInt.of(2), error.line());
        assertTrue(error.getMessage().startsWith("line 2: policy test is invalid: maxTtlSeconds: must be a positive whole number"),
                error.getMessage());
    }

    @Test
    void shouldNameMappingLineWhenRequiredFieldIsMissing() {
        // given: the second rule loses its workload
        String document = VALID.replace("    workload: \"spiffe://dev.local/ci/*\"\n", "");

        // when
        InvalidBundleException error = assertThrows(InvalidBundleException.class, () -> PolicyDocuments.parse(document, "test"));

        // then
        assertEquals(OptionalInt.of(10), error.line());
        assertTrue(error.getMessage().contains("rules[1].workload: is missing"), error.getMessage());
    }

    @Test
    void shouldNameNoLineWhenDocumentIsEmpty() {
        // when
        InvalidBundleException error = assertThrows(InvalidBundleException.class, () -> PolicyDocuments.parse("", "test"));

        // then
        assertEquals(OptionalInt.empty(), error.line());
        assertEquals("policy test is invalid: the document is empty", error.getMessage());
    }
}
