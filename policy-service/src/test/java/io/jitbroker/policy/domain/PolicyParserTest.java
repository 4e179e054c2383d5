package io.jitbroker.policy.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyParserTest {

    private static final String VALID = """
            version: "2026-11-23.1"
            maxTtlSeconds: 3600
            environments: [dev, staging, prod]
            rules:
              - id: ci-deployer-staging-inventory
                description: CI deployer may read and write the inventory API in staging
                workload: "spiffe://dev.local/ci/deployer"
                environments: [staging]
                resources:
                  - type: http
                    ids: ["inventory-api"]
                    actions: [read, write]
                maxTtlSeconds: 600
            """;

    @Test
    void shouldReadEveryFieldWhenPolicyIsValid() {
        // when
        Policy policy = PolicyParser.parse(VALID, "test.yaml");

        // then
        assertEquals("2026-11-23.1", policy.version());
        assertEquals(3600, policy.maxTtlSeconds());
        assertEquals(Set.of("dev", "staging", "prod"), policy.environments());
        assertEquals(1, policy.rules().size());
        PolicyRule rule = policy.rules().get(0);
        assertEquals("ci-deployer-staging-inventory", rule.id());
        assertEquals("spiffe://dev.local/ci/deployer", rule.workload().text());
        assertEquals(Set.of("staging"), rule.environments());
        assertEquals(OptionalLong.of(600), rule.maxTtlSeconds());
        assertEquals(1, rule.resources().size());
        ResourceRule resource = rule.resources().get(0);
        assertEquals("http", resource.type());
        assertEquals(List.of(GlobPattern.compile("inventory-api")), resource.ids());
        assertEquals(Set.of("read", "write"), resource.actions());
    }

    @Test
    void shouldParseShippedExampleWhenReadFromClasspath() throws IOException {
        // given
        String example;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("policies/dev-example.yaml")) {
            example = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        // when
        Policy policy = PolicyParser.parse(example, "classpath:policies/dev-example.yaml");

        // then
        assertEquals("2026-11-23.1", policy.version());
        assertEquals(3600, policy.maxTtlSeconds());
        assertEquals(Set.of("dev", "staging", "prod"), policy.environments());
        assertEquals(List.of("ci-deployer-staging-inventory", "ci-deployer-dev-inventory", "dev-writes-need-ticket"),
                policy.rules().stream().map(PolicyRule::id).toList());
        assertEquals(OptionalLong.of(600), policy.rules().get(0).maxTtlSeconds());
    }

    @Test
    void shouldAcceptRuleWithoutOptionalFieldsWhenDescriptionAndCapAreLeftOut() {
        // given
        String yaml = VALID.replace("    description: CI deployer may read and write the inventory API in staging\n", "")
                .replace("    maxTtlSeconds: 600\n", "");

        // when
        PolicyRule rule = PolicyParser.parse(yaml, "test.yaml").rules().get(0);

        // then
        assertEquals("", rule.description());
        assertEquals(OptionalLong.empty(), rule.maxTtlSeconds());
    }

    @Test
    void shouldAcceptEmptyRuleListWhenPolicyDeniesEverything() {
        // given
        String yaml = """
                version: "locked-down"
                maxTtlSeconds: 60
                environments: [prod]
                rules: []
                """;

        // when
        Policy policy = PolicyParser.parse(yaml, "test.yaml");

        // then
        assertEquals(List.of(), policy.rules());
    }

    @Test
    void shouldNameTheSourceWhenYamlIsMalformed() {
        // given
        String yaml = "version: \"1\"\nrules: [unclosed\n";

        // when
        InvalidPolicyException error = assertThrows(InvalidPolicyException.class, () -> PolicyParser.parse(yaml, "/etc/jit/policy.yaml"));

        // then
        assertTrue(error.getMessage().startsWith("policy /etc/jit/policy.yaml is not valid YAML: "), error.getMessage());
    }

    @Test
    void shouldRefuseWhenDocumentIsEmpty() {
        assertInvalid("", "the document is empty");
    }

    @Test
    void shouldRefuseWhenTopLevelIsNotAMapping() {
        assertInvalid("- just\n- a list\n", "the top level: must be a mapping");
    }

    @Test
    void shouldNameTheKeyWhenTopLevelKeyIsUnknown() {
        assertInvalid(VALID + "maxTTL: 10\n", "the top level: unknown key 'maxTTL' (allowed: environments, maxTtlSeconds, rules, version)");
    }

    @Test
    void shouldNameTheRuleWhenRuleKeyIsUnknown() {
        assertInvalid(VALID.replace("workload:", "workloads:"),
                "rules[0]: unknown key 'workloads' (allowed: condition, description, effect, environments, id, maxTtlSeconds, resources, workload)");
    }

    @Test
    void shouldNameTheResourceWhenResourceKeyIsUnknown() {
        assertInvalid(VALID.replace("actions: [read, write]", "verbs: [read, write]"),
                "rules[0].resources[0]: unknown key 'verbs' (allowed: actions, ids, type)");
    }

    @Test
    void shouldNameTheFieldWhenVersionIsMissing() {
        assertInvalid(VALID.replace("version: \"2026-11-23.1\"\n", ""), "version: is missing");
    }

    @Test
    void shouldNameTheFieldWhenRuleWorkloadIsMissing() {
        assertInvalid(VALID.replace("    workload: \"spiffe://dev.local/ci/deployer\"\n", ""), "rules[0].workload: is missing");
    }

    @Test
    void shouldNameTheFieldWhenResourceActionsAreMissing() {
        assertInvalid(VALID.replace("        actions: [read, write]\n", ""), "rules[0].resources[0].actions: is missing");
    }

    @Test
    void shouldNameTheFieldWhenRulesAreMissing() {
        assertInvalid(VALID.substring(0, VALID.indexOf("rules:")), "rules: is missing");
    }

    @Test
    void shouldRefuseWhenTtlHasAUnit() {
        assertInvalid(VALID.replace("maxTtlSeconds: 600", "maxTtlSeconds: 600s"),
                "rules[0].maxTtlSeconds: must be a positive whole number of seconds, got '600s'");
    }

    @Test
    void shouldRefuseWhenGlobalTtlIsZero() {
        assertInvalid(VALID.replace("maxTtlSeconds: 3600", "maxTtlSeconds: 0"),
                "maxTtlSeconds: must be a positive whole number of seconds, got integer 0");
    }

    @Test
    void shouldRefuseWhenTtlIsNegative() {
        assertInvalid(VALID.replace("maxTtlSeconds: 600", "maxTtlSeconds: -5"),
                "rules[0].maxTtlSeconds: must be a positive whole number of seconds, got integer -5");
    }

    @Test
    void shouldRefuseWhenTtlIsFractional() {
        assertInvalid(VALID.replace("maxTtlSeconds: 3600", "maxTtlSeconds: 1.5"),
                "maxTtlSeconds: must be a positive whole number of seconds, got double 1.5");
    }

    @Test
    void shouldRefuseWhenTtlOverflowsLong() {
        assertInvalid(VALID.replace("maxTtlSeconds: 3600", "maxTtlSeconds: 99999999999999999999"),
                "maxTtlSeconds: must be a positive whole number of seconds");
    }

    @Test
    void shouldRefuseWhenVersionIsNotText() {
        assertInvalid(VALID.replace("version: \"2026-11-23.1\"", "version: 2026-11-23"),
                "version: must be a string, got date");
    }

    @Test
    void shouldRefuseWhenActionIsYamlBoolean() {
        assertInvalid(VALID.replace("actions: [read, write]", "actions: [read, on]"),
                "rules[0].resources[0].actions[1]: must be a string, got boolean true (quote it if it is meant as text)");
    }

    @Test
    void shouldRefuseWhenEnvironmentsIsNotAList() {
        assertInvalid(VALID.replace("environments: [dev, staging, prod]", "environments: dev"),
                "environments: must be a list, got 'dev'");
    }

    @Test
    void shouldRefuseWhenRuleResourcesAreEmpty() {
        String yaml = VALID.substring(0, VALID.indexOf("    resources:")) + "    resources: []\n";
        assertInvalid(yaml, "rules[0].resources: must not be empty");
    }

    @Test
    void shouldRefuseWhenKeyIsRepeated() {
        // given: the second workload would silently win in a lenient parser
        String yaml = VALID.replace("    environments: [staging]\n",
                "    environments: [staging]\n    workload: \"spiffe://dev.local/**\"\n");

        // when
        InvalidPolicyException error = assertThrows(InvalidPolicyException.class, () -> PolicyParser.parse(yaml, "test.yaml"));

        // then
        assertTrue(error.getMessage().contains("duplicate key workload"), error.getMessage());
    }

    @Test
    void shouldRefuseWhenRuleIdIsRepeated() {
        String rules = VALID.substring(VALID.indexOf("  - id:"));
        assertInvalid(VALID + rules, "rules[1].id: rule id 'ci-deployer-staging-inventory' is used twice");
    }

    @Test
    void shouldRefuseWhenRuleNamesUndefinedEnvironment() {
        assertInvalid(VALID.replace("environments: [staging]", "environments: [stagng]"),
                "rules[0].environments: [stagng] not among the policy's environments [dev, prod, staging]");
    }

    @Test
    void shouldRefuseWhenWorkloadIsNotSpiffeId() {
        assertInvalid(VALID.replace("\"spiffe://dev.local/ci/deployer\"", "\"ci/deployer\""),
                "rules[0].workload: must be a SPIFFE ID or pattern starting with spiffe://, got 'ci/deployer'");
    }

    @Test
    void shouldRefuseWhenResourceIdPatternHasTripleStar() {
        assertInvalid(VALID.replace("ids: [\"inventory-api\"]", "ids: [\"***\"]"),
                "rules[0].resources[0].ids[0]: pattern '***' has '***'");
    }

    @Test
    void shouldRefuseWhenRuleIdIsBlank() {
        assertInvalid(VALID.replace("id: ci-deployer-staging-inventory", "id: \" \""), "rules[0].id: must not be blank");
    }

    @Test
    void shouldReadEffectAndConditionWhenRuleHasThem() {
        // given
        String yaml = VALID + """
                  - id: no-writes-without-ticket
                    effect: deny
                    workload: "spiffe://dev.local/**"
                    environments: [staging]
                    resources:
                      - {type: http, ids: ["**"], actions: [write]}
                    condition: "!request.justification.contains('TICKET-')"
                """;

        // when
        Policy policy = PolicyParser.parse(yaml, "test.yaml");

        // then
        assertEquals(Effect.ALLOW, policy.rules().get(0).effect());
        assertEquals(java.util.Optional.empty(), policy.rules().get(0).condition());
        PolicyRule deny = policy.rules().get(1);
        assertEquals(Effect.DENY, deny.effect());
        assertEquals("!request.justification.contains('TICKET-')", deny.condition().orElseThrow().expression());
    }

    @Test
    void shouldRefuseWithRuleIdExpressionAndCelMessageWhenConditionDoesNotCompile() {
        // when
        InvalidPolicyException error = assertThrows(InvalidPolicyException.class, () -> PolicyParser.parse(
                VALID + "    condition: \"request.ttlSeconds >\"\n", "test.yaml"));

        // then
        assertTrue(error.getMessage().startsWith("policy test.yaml is invalid: rules[0].condition: rule "
                + "'ci-deployer-staging-inventory' has an invalid condition 'request.ttlSeconds >': ERROR: <input>:1:"),
                error.getMessage());
    }

    @Test
    void shouldRefuseWithRuleIdExpressionAndCelMessageWhenConditionDoesNotTypeCheck() {
        // when
        InvalidPolicyException error = assertThrows(InvalidPolicyException.class, () -> PolicyParser.parse(
                VALID + "    condition: \"now > 5\"\n", "test.yaml"));

        // then
        String message = error.getMessage();
        assertTrue(message.startsWith("policy test.yaml is invalid: rules[0].condition: rule "
                + "'ci-deployer-staging-inventory' has an invalid condition 'now > 5': "), message);
        assertTrue(message.contains("found no matching overload for '_>_' applied to '(google.protobuf.Timestamp, int)'"),
                message);
    }

    @Test
    void shouldRefuseWhenConditionIsNotText() {
        assertInvalid(VALID + "    condition: true\n", "rules[0].condition: must be a string, got boolean true");
    }

    @Test
    void shouldRefuseWhenEffectIsUnknown() {
        assertInvalid(VALID + "    effect: permit\n", "rules[0].effect: must be allow or deny, got 'permit'");
    }

    @Test
    void shouldRefuseWhenDenyRuleCapsTtl() {
        assertInvalid(VALID + "    effect: deny\n",
                "rules[0].maxTtlSeconds: a deny rule grants nothing, so it cannot cap a ttl");
    }

    private static void assertInvalid(String yaml, String expectedDetail) {
        // when
        InvalidPolicyException error = assertThrows(InvalidPolicyException.class, () -> PolicyParser.parse(yaml, "test.yaml"));

        // then
        String prefix = "policy test.yaml is invalid: ";
        assertTrue(error.getMessage().startsWith(prefix + expectedDetail),
                "expected '" + prefix + expectedDetail + "...' but was '" + error.getMessage() + "'");
    }
}
