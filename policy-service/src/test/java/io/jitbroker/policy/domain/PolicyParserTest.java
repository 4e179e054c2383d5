package io.jitbroker.policy.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyParserTest {

    /** Line numbers in the tests below count from "version" (line 1); appended text starts at line 14. */
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

    private static final String RULES = """
            rules:
              - id: ci-deployer-staging-inventory
                workload: "spiffe://dev.local/ci/deployer"
                environments: [staging]
                resources: [{type: http, ids: [inventory-api], actions: [read]}]
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
    void shouldUseSafeDefaultsWhenBundleHasNoGuardrailKeys() {
        // when
        Policy policy = PolicyParser.parse(VALID, "test.yaml");

        // then
        assertEquals(Set.of(), policy.separation());
        assertEquals(Optional.empty(), policy.environmentClaim());
        assertEquals(List.of(), policy.bindings());
        assertEquals(Caps.none(), policy.caps());
        assertEquals(900, policy.breakGlassMaxTtlSeconds());
        assertEquals(900, policy.approvalTimeoutSeconds());
        assertFalse(policy.rules().get(0).breakGlass());
        assertFalse(policy.rules().get(0).requireApproval());
    }

    @Test
    void shouldReadEveryGuardrailWhenBundleHasThem() {
        // given
        String yaml = """
                version: "guarded-1"
                maxTtlSeconds: 3600
                environments: [dev, staging, prod]
                separation: [[prod, dev], [staging, prod]]
                environmentClaim: environment
                bindings:
                  - {workload: "spiffe://dev.local/prod/**", environment: prod}
                caps: {maxResourcesPerRequest: 10, maxActiveGrantsPerWorkload: 5, maxGrantsPerTask: 2}
                breakGlass: {maxTtlSeconds: 300}
                approvalTimeoutSeconds: 600
                rules:
                  - id: sre-break-glass
                    workload: "spiffe://dev.local/sre/*"
                    environments: [prod]
                    resources: [{type: http, ids: ["**"], actions: [read]}]
                    breakGlass: true
                  - id: deploys-need-approval
                    workload: "spiffe://dev.local/ci/deployer"
                    environments: [prod]
                    resources: [{type: http, ids: [inventory-api], actions: [write]}]
                    requireApproval: true
                """;

        // when
        Policy policy = PolicyParser.parse(yaml, "test.yaml");

        // then
        assertEquals(Set.of(EnvironmentPair.of("dev", "prod"), EnvironmentPair.of("prod", "staging")), policy.separation());
        assertTrue(policy.separates("prod", "dev") && policy.separates("dev", "prod"), "separation is unordered");
        assertFalse(policy.separates("dev", "staging"));
        assertEquals(Optional.of("environment"), policy.environmentClaim());
        assertEquals(List.of(new EnvironmentBinding(GlobPattern.compile("spiffe://dev.local/prod/**"), "prod")), policy.bindings());
        assertEquals(new Caps(OptionalInt.of(10), OptionalInt.of(5), OptionalInt.of(2)), policy.caps());
        assertEquals(300, policy.breakGlassMaxTtlSeconds());
        assertEquals(600, policy.approvalTimeoutSeconds());
        assertTrue(policy.rules().get(0).breakGlass());
        assertFalse(policy.rules().get(0).requireApproval());
        assertTrue(policy.rules().get(1).requireApproval());
        assertFalse(policy.rules().get(1).breakGlass());
    }

    @Test
    void shouldLeaveCapsUnsetWhenOnlySomeAreGiven() {
        // when
        Policy policy = PolicyParser.parse(VALID + "caps: {maxGrantsPerTask: 3}\n", "test.yaml");

        // then
        assertEquals(new Caps(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.of(3)), policy.caps());
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
        assertEquals(3600, policy.maxTtlSeconds());
        assertEquals(Set.of("dev", "staging", "prod"), policy.environments());
        assertEquals(List.of("ci-deployer-staging-inventory", "ci-deployer-dev-inventory", "dev-writes-need-ticket",
                        "deployer-prod-inventory-write-with-approval", "deployer-prod-inventory-break-glass", "ci-deployer-staging-orders-read"),
                policy.rules().stream().map(PolicyRule::id).toList());
        assertEquals(OptionalLong.of(600), policy.rules().get(0).maxTtlSeconds());
        assertEquals(Set.of(EnvironmentPair.of("prod", "dev"), EnvironmentPair.of("prod", "staging")), policy.separation());
        assertEquals(new Caps(OptionalInt.of(10), OptionalInt.of(5), OptionalInt.empty()), policy.caps());
        assertEquals(300, policy.breakGlassMaxTtlSeconds());
        assertTrue(policy.rules().get(3).requireApproval());
        assertTrue(policy.rules().get(4).breakGlass());
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
    void shouldCompileARepeatedConditionOnceWhenRulesShareIt() {
        // given
        String yaml = VALID + "    condition: \"request.ttlSeconds <= 600\"\n"
                + VALID.substring(VALID.indexOf("  - id:")).replace("id: ci-deployer-staging-inventory", "id: second")
                + "    condition: \"request.ttlSeconds <= 600\"\n";

        // when
        Policy policy = PolicyParser.parse(yaml, "test.yaml");

        // then
        assertSame(policy.rules().get(0).condition().orElseThrow(), policy.rules().get(1).condition().orElseThrow());
    }

    @Test
    void shouldNameSourceAndLineWhenYamlIsMalformed() {
        // given
        String yaml = "version: \"1\"\nrules: [unclosed\n";

        // when
        InvalidPolicyException error = assertThrows(InvalidPolicyException.class, () -> PolicyParser.parse(yaml, "/etc/jit/policy.yaml"));

        // then
        assertTrue(error.getMessage().startsWith("policy /etc/jit/policy.yaml is not valid YAML: line 3: "), error.getMessage());
        assertEquals(OptionalInt.of(3), error.line());
    }

    @Test
    void shouldRefuseWithoutALineWhenDocumentIsEmpty() {
        // when
        InvalidPolicyException error = assertThrows(InvalidPolicyException.class, () -> PolicyParser.parse("", "test.yaml"));

        // then
        assertEquals("policy test.yaml is invalid: the document is empty", error.getMessage());
        assertEquals(OptionalInt.empty(), error.line());
    }

    @Test
    void shouldRefuseWhenTopLevelIsNotAMapping() {
        assertInvalid("- just\n- a list\n", 1, "the top level: must be a mapping");
    }

    @Test
    void shouldNameTheKeyWhenTopLevelKeyIsUnknown() {
        assertInvalid(VALID + "maxTTL: 10\n", 14, "the top level: unknown key 'maxTTL' (allowed: approvalTimeoutSeconds, "
                + "bindings, breakGlass, caps, environmentClaim, environments, maxTtlSeconds, rules, separation, version)");
    }

    @Test
    void shouldNameTheRuleWhenRuleKeyIsUnknown() {
        assertInvalid(VALID.replace("workload:", "workloads:"), 7, "rules[0]: unknown key 'workloads' (allowed: breakGlass, "
                + "condition, description, effect, environments, id, maxTtlSeconds, requireApproval, resources, workload)");
    }

    @Test
    void shouldNameTheResourceWhenResourceKeyIsUnknown() {
        assertInvalid(VALID.replace("actions: [read, write]", "verbs: [read, write]"), 12,
                "rules[0].resources[0]: unknown key 'verbs' (allowed: actions, ids, type)");
    }

    @Test
    void shouldNameTheFieldWhenVersionIsMissing() {
        assertInvalid(VALID.replace("version: \"2026-11-23.1\"\n", ""), 1, "version: is missing");
    }

    @Test
    void shouldNameTheRuleLineWhenRuleWorkloadIsMissing() {
        assertInvalid(VALID.replace("    workload: \"spiffe://dev.local/ci/deployer\"\n", ""), 5, "rules[0].workload: is missing");
    }

    @Test
    void shouldNameTheFieldWhenResourceActionsAreMissing() {
        assertInvalid(VALID.replace("        actions: [read, write]\n", ""), 10, "rules[0].resources[0].actions: is missing");
    }

    @Test
    void shouldNameTheFieldWhenRulesAreMissing() {
        assertInvalid(VALID.substring(0, VALID.indexOf("rules:")), 1, "rules: is missing");
    }

    @Test
    void shouldRefuseWhenTtlHasAUnit() {
        assertInvalid(VALID.replace("maxTtlSeconds: 600", "maxTtlSeconds: 600s"), 13,
                "rules[0].maxTtlSeconds: must be a positive whole number of seconds, got '600s'");
    }

    @Test
    void shouldRefuseWhenGlobalTtlIsZero() {
        assertInvalid(VALID.replace("maxTtlSeconds: 3600", "maxTtlSeconds: 0"), 2,
                "maxTtlSeconds: must be a positive whole number of seconds, got integer 0");
    }

    @Test
    void shouldRefuseWhenTtlIsNegative() {
        assertInvalid(VALID.replace("maxTtlSeconds: 600", "maxTtlSeconds: -5"), 13,
                "rules[0].maxTtlSeconds: must be a positive whole number of seconds, got integer -5");
    }

    @Test
    void shouldRefuseWhenTtlIsFractional() {
        assertInvalid(VALID.replace("maxTtlSeconds: 3600", "maxTtlSeconds: 1.5"), 2,
                "maxTtlSeconds: must be a positive whole number of seconds, got double 1.5");
    }

    @Test
    void shouldRefuseWhenTtlOverflowsLong() {
        assertInvalid(VALID.replace("maxTtlSeconds: 3600", "maxTtlSeconds: 99999999999999999999"), 2,
                "maxTtlSeconds: must be a positive whole number of seconds");
    }

    @Test
    void shouldRefuseWhenVersionIsNotText() {
        assertInvalid(VALID.replace("version: \"2026-11-23.1\"", "version: 2026-11-23"), 1, "version: must be a string, got date");
    }

    @Test
    void shouldRefuseWhenActionIsYamlBoolean() {
        assertInvalid(VALID.replace("actions: [read, write]", "actions: [read, on]"), 12,
                "rules[0].resources[0].actions[1]: must be a string, got boolean true (quote it if it is meant as text)");
    }

    @Test
    void shouldRefuseWhenEnvironmentsIsNotAList() {
        assertInvalid(VALID.replace("environments: [dev, staging, prod]", "environments: dev"), 3,
                "environments: must be a list, got 'dev'");
    }

    @Test
    void shouldRefuseWhenRuleResourcesAreEmpty() {
        String yaml = VALID.substring(0, VALID.indexOf("    resources:")) + "    resources: []\n";
        assertInvalid(yaml, 9, "rules[0].resources: must not be empty");
    }

    @Test
    void shouldRefuseWithBothLinesWhenKeyIsRepeated() {
        // given: the second workload would silently win in a lenient parser
        String yaml = VALID.replace("    environments: [staging]\n",
                "    environments: [staging]\n    workload: \"spiffe://dev.local/**\"\n");

        // then
        assertInvalid(yaml, 9, "rules[0]: duplicate key workload (first at line 7)");
    }

    @Test
    void shouldRefuseWhenRuleIdIsRepeated() {
        String rules = VALID.substring(VALID.indexOf("  - id:"));
        assertInvalid(VALID + rules, 14, "rules[1].id: rule id 'ci-deployer-staging-inventory' is used twice (first at line 5)");
    }

    @Test
    void shouldRefuseWhenRuleNamesUndefinedEnvironment() {
        assertInvalid(VALID.replace("environments: [staging]", "environments: [stagng]"), 8,
                "rules[0].environments: [stagng] not among the policy's environments [dev, prod, staging]");
    }

    @Test
    void shouldRefuseWhenWorkloadIsNotSpiffeId() {
        assertInvalid(VALID.replace("\"spiffe://dev.local/ci/deployer\"", "\"ci/deployer\""), 7,
                "rules[0].workload: must be a SPIFFE ID or pattern starting with spiffe://, got 'ci/deployer'");
    }

    @Test
    void shouldRefuseWhenResourceIdPatternHasTripleStar() {
        assertInvalid(VALID.replace("ids: [\"inventory-api\"]", "ids: [\"***\"]"), 11,
                "rules[0].resources[0].ids[0]: pattern '***' has '***'");
    }

    @Test
    void shouldRefuseWhenRuleIdIsBlank() {
        assertInvalid(VALID.replace("id: ci-deployer-staging-inventory", "id: \" \""), 5, "rules[0].id: must not be blank");
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
        assertEquals(Optional.empty(), policy.rules().get(0).condition());
        PolicyRule deny = policy.rules().get(1);
        assertEquals(Effect.DENY, deny.effect());
        assertEquals("!request.justification.contains('TICKET-')", deny.condition().orElseThrow().expression());
    }

    @Test
    void shouldGiveLineAndQualifiedNameWhenConditionReadsAnUndeclaredField() {
        // when
        InvalidPolicyException error = assertThrows(InvalidPolicyException.class, () -> PolicyParser.parse(
                VALID + "    condition: \"request.ticket != ''\"\n", "test.yaml"));

        // then
        assertEquals(OptionalInt.of(14), error.line());
        assertEquals("policy test.yaml is invalid: line 14: rules[0].condition: undeclared reference to 'request.ticket' "
                + "(request has: environment, ttlSeconds, taskId, justification, resourceCount, breakGlass) at column 1 of the condition",
                error.getMessage());
        assertTrue(error.problem().startsWith("rules[0].condition: undeclared reference to 'request.ticket'"), error.problem());
    }

    @Test
    void shouldGiveTheLineOfTheExpressionWhenConditionIsALiteralBlock() {
        // given: the error is on the second line of the block, line 16 of the document
        String yaml = VALID + """
                    condition: |
                      request.ttlSeconds <= 600
                      && request.environmnt == 'staging'
                """;

        // then
        assertInvalid(yaml, 16, "rules[0].condition: undeclared reference to 'request.environmnt'");
    }

    @Test
    void shouldRefuseWhenConditionDoesNotCompile() {
        assertInvalid(VALID + "    condition: \"request.ttlSeconds >\"\n", 14, "rules[0].condition: ");
    }

    @Test
    void shouldRefuseWithCelMessageWhenConditionDoesNotTypeCheck() {
        assertInvalid(VALID + "    condition: \"now > 5\"\n", 14, "rules[0].condition: found no matching overload for '_>_' "
                + "applied to '(google.protobuf.Timestamp, int)'");
    }

    @Test
    void shouldRefuseWhenConditionIsNotABool() {
        assertInvalid(VALID + "    condition: \"request.ttlSeconds + 1\"\n", 14,
                "rules[0].condition: expected type 'bool' but found 'int'");
    }

    @Test
    void shouldRefuseWhenConditionHasAnInvalidRegex() {
        assertInvalid(VALID + "    condition: \"request.justification.matches('CHG-(')\"\n", 14,
                "rules[0].condition: invalid regex 'CHG-(': ");
    }

    @Test
    void shouldRefuseWhenConditionIsNotText() {
        assertInvalid(VALID + "    condition: true\n", 14, "rules[0].condition: must be a string, got boolean true");
    }

    @Test
    void shouldRefuseWhenEffectIsUnknown() {
        assertInvalid(VALID + "    effect: permit\n", 14, "rules[0].effect: must be allow or deny, got 'permit'");
    }

    @Test
    void shouldRefuseWhenDenyRuleCapsTtl() {
        assertInvalid(VALID + "    effect: deny\n", 13, "rules[0].maxTtlSeconds: a deny rule grants nothing, so it cannot cap a ttl");
    }

    @Test
    void shouldRefuseWhenDenyRuleIsBreakGlass() {
        assertInvalid(VALID.replace("    maxTtlSeconds: 600\n", "") + "    effect: deny\n    breakGlass: true\n", 14,
                "rules[0].breakGlass: a deny rule grants nothing, so it cannot be break-glass");
    }

    @Test
    void shouldRefuseWhenDenyRuleRequiresApproval() {
        assertInvalid(VALID.replace("    maxTtlSeconds: 600\n", "") + "    effect: deny\n    requireApproval: true\n", 14,
                "rules[0].requireApproval: a deny rule grants nothing, so it cannot require approval");
    }

    @Test
    void shouldRefuseWhenRuleFlagIsNotABoolean() {
        assertInvalid(VALID + "    requireApproval: \"yes\"\n", 14, "rules[0].requireApproval: must be true or false, got 'yes'");
    }

    @Test
    void shouldRefuseWhenSeparatedEnvironmentIsUndeclared() {
        assertInvalid(VALID + "separation: [[prod, qa]]\n", 14,
                "separation[0][1]: 'qa' is not among the policy's environments [dev, prod, staging]");
    }

    @Test
    void shouldRefuseWhenEnvironmentIsSeparatedFromItself() {
        assertInvalid(VALID + "separation:\n  - [prod, dev]\n  - [prod, prod]\n", 16,
                "separation[1]: an environment cannot be separated from itself ('prod')");
    }

    @Test
    void shouldRefuseWhenSeparationIsNotAPair() {
        assertInvalid(VALID + "separation: [[prod, dev, staging]]\n", 14,
                "separation[0]: must be a pair of environments such as [prod, dev], got a list");
    }

    @Test
    void shouldRefuseWhenBindingNamesUndeclaredEnvironment() {
        assertInvalid(VALID + "bindings:\n  - workload: \"spiffe://dev.local/prod/**\"\n    environment: production\n", 16,
                "bindings[0].environment: 'production' is not among the policy's environments [dev, prod, staging]");
    }

    @Test
    void shouldRefuseWhenBindingWorkloadIsNotSpiffe() {
        assertInvalid(VALID + "bindings: [{workload: \"prod/**\", environment: prod}]\n", 14,
                "bindings[0].workload: must be a SPIFFE ID or pattern starting with spiffe://, got 'prod/**'");
    }

    @Test
    void shouldRefuseWhenEnvironmentClaimIsBlank() {
        assertInvalid(VALID + "environmentClaim: \"\"\n", 14, "environmentClaim: must not be blank");
    }

    @Test
    void shouldRefuseWhenCapIsNotPositive() {
        assertInvalid(VALID + "caps:\n  maxActiveGrantsPerWorkload: 0\n", 15,
                "caps.maxActiveGrantsPerWorkload: must be a positive whole number, got integer 0");
    }

    @Test
    void shouldRefuseWhenCapIsUnknown() {
        assertInvalid(VALID + "caps:\n  maxGrants: 3\n", 15, "caps: unknown key 'maxGrants' (allowed: maxActiveGrantsPerWorkload, "
                + "maxGrantsPerTask, maxResourcesPerRequest)");
    }

    @Test
    void shouldRefuseWhenBreakGlassTtlIsAboveTheHardCeiling() {
        assertInvalid(VALID + "breakGlass:\n  maxTtlSeconds: 3601\n", 15,
                "breakGlass.maxTtlSeconds: at most 3600 s (a break-glass grant is short by design), got 3601");
    }

    @Test
    void shouldRefuseWhenApprovalTimeoutIsNotPositive() {
        assertInvalid(VALID + "approvalTimeoutSeconds: -1\n", 14,
                "approvalTimeoutSeconds: must be a positive whole number of seconds, got integer -1");
    }

    @Test
    void shouldAcceptTheCeilingWhenBreakGlassTtlIsExactly3600() {
        // when
        Policy policy = PolicyParser.parse(VALID + "breakGlass: {maxTtlSeconds: 3600}\n", "test.yaml");

        // then
        assertEquals(3600, policy.breakGlassMaxTtlSeconds());
    }

    @Test
    void shouldAcceptRulesWhenTheyComeFirst() {
        // when: key order does not matter
        Policy policy = PolicyParser.parse(RULES + "version: \"v\"\nmaxTtlSeconds: 60\nenvironments: [staging]\n", "test.yaml");

        // then
        assertEquals(1, policy.rules().size());
    }

    private static void assertInvalid(String yaml, int line, String expectedDetail) {
        // when
        InvalidPolicyException error = assertThrows(InvalidPolicyException.class, () -> PolicyParser.parse(yaml, "test.yaml"));

        // then
        String expected = "policy test.yaml is invalid: line " + line + ": " + expectedDetail;
        assertTrue(error.getMessage().startsWith(expected), "expected '" + expected + "...' but was '" + error.getMessage() + "'");
        assertEquals(OptionalInt.of(line), error.line());
    }
}
