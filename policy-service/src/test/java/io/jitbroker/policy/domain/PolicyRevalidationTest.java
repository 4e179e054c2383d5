package io.jitbroker.policy.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@link PolicyEngine#whyNoLongerAllowed}: re-checking a grant when a new bundle version arrives. */
class PolicyRevalidationTest {

    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    private static final ResourceAccess INVENTORY_READ_WRITE = new ResourceAccess("http", "inventory-api", List.of("read", "write"));
    private static final ResourceAccess ORDERS_SELECT = new ResourceAccess("postgres", "orders", List.of("select"));

    private static final String V1 = """
            version: "v1"
            maxTtlSeconds: 3600
            environments: [staging, prod]
            caps: {maxActiveGrantsPerWorkload: 1}
            rules:
              - id: deployer-inventory
                workload: "spiffe://dev.local/ci/deployer"
                environments: [staging]
                resources: [{type: http, ids: [inventory-api], actions: [read, write]}]
                condition: "request.justification != ''"
              - id: deployer-orders
                workload: "spiffe://dev.local/ci/*"
                environments: [staging]
                resources: [{type: postgres, ids: [orders], actions: [select]}]
                requireApproval: true
              - id: deployer-break-glass
                workload: "spiffe://dev.local/ci/deployer"
                environments: [prod]
                resources: [{type: http, ids: [inventory-api], actions: [read]}]
                breakGlass: true
            """;

    private static final AccessQuery ORIGINAL = new AccessQuery(DEPLOYER, "staging", List.of(INVENTORY_READ_WRITE, ORDERS_SELECT),
            300, OptionalLong.empty(), "task-1", "deploy 42");

    private static PolicyEngine engine(String yaml) {
        return new PolicyEngine(PolicyParser.parse(yaml, "bundle.yaml"), CLOCK);
    }

    @Test
    void shouldStillAllowWhenNewVersionChangesNothingThatMatters() {
        // given: only the version and a cap changed; caps and approval are not re-checked
        PolicyEngine v2 = engine(V1.replace("\"v1\"", "\"v2\"").replace("maxActiveGrantsPerWorkload: 1", "maxActiveGrantsPerWorkload: 2"));

        // when
        Optional<String> why = v2.whyNoLongerAllowed(ORIGINAL, List.of(INVENTORY_READ_WRITE, ORDERS_SELECT));

        // then
        assertEquals(Optional.empty(), why);
    }

    @Test
    void shouldNameTheActionWhenARuleNoLongerAllowsIt() {
        // given: v2 allows only reads on the inventory
        PolicyEngine v2 = engine(V1.replace("\"v1\"", "\"v2\"")
                .replace("resources: [{type: http, ids: [inventory-api], actions: [read, write]}]",
                        "resources: [{type: http, ids: [inventory-api], actions: [read]}]"));

        // when
        Optional<String> why = v2.whyNoLongerAllowed(ORIGINAL, List.of(INVENTORY_READ_WRITE, ORDERS_SELECT));

        // then
        assertEquals(Optional.of("policy v2 no longer allows " + DEPLOYER + " in staging: [write] on http/inventory-api "
                + "(no allow rule grants it any more)"), why);
    }

    @Test
    void shouldNameTheDenyRuleWhenOneNowTakesTheActionAway() {
        // given
        PolicyEngine v2 = engine(V1.replace("\"v1\"", "\"v2\"") + """
                  - id: staging-freeze
                    effect: deny
                    workload: "spiffe://dev.local/**"
                    environments: [staging]
                    resources: [{type: http, ids: ["**"], actions: [write]}]
                """);

        // when
        Optional<String> why = v2.whyNoLongerAllowed(ORIGINAL, List.of(INVENTORY_READ_WRITE));

        // then
        assertEquals(Optional.of("policy v2 no longer allows " + DEPLOYER + " in staging: [write] on http/inventory-api "
                + "(denied by deny rule staging-freeze)"), why);
    }

    @Test
    void shouldTellLostAndDeniedActionsApartWhenBothHappenOnOneResource() {
        // given: v2 allows only writes on the inventory, and freezes writes
        PolicyEngine v2 = engine(V1.replace("\"v1\"", "\"v2\"")
                .replace("resources: [{type: http, ids: [inventory-api], actions: [read, write]}]",
                        "resources: [{type: http, ids: [inventory-api], actions: [write]}]") + """
                  - id: staging-freeze
                    effect: deny
                    workload: "spiffe://dev.local/**"
                    environments: [staging]
                    resources: [{type: http, ids: ["**"], actions: [write]}]
                """);

        // when
        Optional<String> why = v2.whyNoLongerAllowed(ORIGINAL, List.of(INVENTORY_READ_WRITE));

        // then
        assertEquals(Optional.of("policy v2 no longer allows " + DEPLOYER + " in staging: [read] on http/inventory-api "
                + "(no allow rule grants it any more); [write] on http/inventory-api (denied by deny rule staging-freeze)"), why);
    }

    @Test
    void shouldReevaluateConditionsWithTheOriginalRequestWhenTheyChange() {
        // given: v2 wants a change ticket in the justification
        PolicyEngine v2 = engine(V1.replace("\"v1\"", "\"v2\"").replace("condition: \"request.justification != ''\"",
                "condition: \"request.justification.matches('CHG-[0-9]+')\""));

        // when
        Optional<String> why = v2.whyNoLongerAllowed(ORIGINAL, List.of(INVENTORY_READ_WRITE));

        // then
        assertEquals(Optional.of("policy v2 no longer allows " + DEPLOYER + " in staging: [read, write] on http/inventory-api "
                + "(no allow rule grants it any more)"), why);
    }

    @Test
    void shouldSayTheEnvironmentIsGoneWhenNewVersionRemovesIt() {
        // given
        PolicyEngine v2 = engine("""
                version: "v2"
                maxTtlSeconds: 3600
                environments: [prod]
                rules: []
                """);

        // when
        Optional<String> why = v2.whyNoLongerAllowed(ORIGINAL, List.of(ORDERS_SELECT));

        // then
        assertEquals(Optional.of("environment 'staging' is no longer defined by policy v2 (known: prod)"), why);
    }

    @Test
    void shouldSayNothingIsGrantedWhenNewPolicyIsDenyAll() {
        // when
        Optional<String> why = new PolicyEngine(Policy.denyAll()).whyNoLongerAllowed(ORIGINAL, List.of(ORDERS_SELECT));

        // then
        assertEquals(Optional.of("policy deny-all defines no environments: it grants nothing"), why);
    }

    @Test
    void shouldCheckOnlyBreakGlassRulesWhenTheGrantWasBreakGlass() {
        // given: a break-glass grant; v2 drops the break-glass rule but adds a normal rule allowing the same read
        AccessQuery emergency = new AccessQuery(DEPLOYER, "prod", List.of(new ResourceAccess("http", "inventory-api", List.of("read"))),
                300, OptionalLong.empty(), "task-1", "INC-1", true, java.util.Map.of());
        PolicyEngine v2 = engine(V1.replace("\"v1\"", "\"v2\"").replace("    breakGlass: true\n", ""));

        // when
        Optional<String> why = v2.whyNoLongerAllowed(emergency, emergency.resources());

        // then
        assertEquals(Optional.of("policy v2 no longer allows " + DEPLOYER + " in prod: [read] on http/inventory-api "
                + "(no break-glass allow rule grants it any more)"), why);
    }

    @Test
    void shouldListEveryLostResourceWhenSeveralAreLost() {
        // given
        PolicyEngine v2 = engine("""
                version: "v2"
                maxTtlSeconds: 3600
                environments: [staging]
                rules: []
                """);

        // when
        Optional<String> why = v2.whyNoLongerAllowed(ORIGINAL, List.of(INVENTORY_READ_WRITE, ORDERS_SELECT));

        // then
        assertEquals(Optional.of("policy v2 no longer allows " + DEPLOYER + " in staging: [read, write] on http/inventory-api "
                + "(no allow rule grants it any more); [select] on postgres/orders (no allow rule grants it any more)"), why);
    }
}
