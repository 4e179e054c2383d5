package io.jitbroker.policy.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the shipped example bundle (the README's reference) decides, feature by feature. */
class DevExampleBundleTest {

    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    private static final ResourceAccess INVENTORY_READ = new ResourceAccess("http", "inventory-api", List.of("read"));
    private static final ResourceAccess INVENTORY_WRITE = new ResourceAccess("http", "inventory-api", List.of("write"));
    private static final ResourceAccess INVENTORY_READ_WRITE = new ResourceAccess("http", "inventory-api", List.of("read", "write"));

    private static PolicyEngine engine;

    @BeforeAll
    static void loadTheExample() throws IOException {
        try (InputStream in = DevExampleBundleTest.class.getClassLoader().getResourceAsStream("policies/dev-example.yaml")) {
            engine = new PolicyEngine(PolicyParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "dev-example.yaml"), CLOCK);
        }
    }

    private static AccessQuery query(String environment, long ttlSeconds, String justification, ResourceAccess... resources) {
        return new AccessQuery(DEPLOYER, environment, List.of(resources), ttlSeconds, OptionalLong.empty(), "task-1", justification);
    }

    @Test
    void shouldGrantStagingForAtMost600SecondsWhenDeployerAsks() {
        // when
        Decision decision = engine.decide(query("staging", 3600, "", INVENTORY_READ_WRITE));

        // then
        assertEquals(Outcome.APPROVED, decision.outcome());
        assertEquals(600, decision.grantedTtlSeconds());
        assertEquals(List.of("ci-deployer-staging-inventory"), decision.matchedRules());
    }

    @Test
    void shouldDenyProdWithTheSameReasonAsBeforeWhenWriteHasNoChangeNumber() {
        // when: no CHG- in the justification, so the approval rule's condition is false
        Decision decision = engine.decide(query("prod", 300, "deploy build 42", INVENTORY_READ_WRITE));

        // then
        assertEquals(Optional.of(DenyCode.NO_MATCHING_RULE), decision.denyCode());
        assertEquals(List.of("no allow rule grants " + DEPLOYER + " any of [read, write] on http/inventory-api in prod"),
                decision.reasons());
    }

    @Test
    void shouldWaitForApprovalWhenProdWriteNamesAChange() {
        // when
        Decision decision = engine.decide(query("prod", 3600, "CHG-77 release 4.2", INVENTORY_WRITE));

        // then
        assertEquals(Outcome.PENDING_APPROVAL, decision.outcome());
        assertEquals(List.of(INVENTORY_WRITE), decision.grantedResources());
        assertEquals(900, decision.grantedTtlSeconds());
        assertEquals(List.of("deployer-prod-inventory-write-with-approval"), decision.matchedRules());
        assertEquals(900, engine.policy().approvalTimeoutSeconds());
    }

    @Test
    void shouldGrantBreakGlassReadForAtMost300SecondsWhenJustified() {
        // when
        Decision decision = engine.decide(query("prod", 3600, "INC-9 inventory down", INVENTORY_READ).withBreakGlass(true));

        // then
        assertEquals(Outcome.APPROVED, decision.outcome());
        assertEquals(300, decision.grantedTtlSeconds());
        assertEquals(List.of("deployer-prod-inventory-break-glass"), decision.matchedRules());
    }

    @Test
    void shouldRefuseBreakGlassWriteWhenNoBreakGlassRuleNamesIt() {
        // when
        Decision decision = engine.decide(query("prod", 300, "INC-9", INVENTORY_WRITE).withBreakGlass(true));

        // then
        assertEquals(Optional.of(DenyCode.BREAK_GLASS_NOT_ALLOWED), decision.denyCode());
    }

    @Test
    void shouldKeepProdAndStagingApartWhenDeployerHoldsAProdGrant() {
        // when
        Decision decision = engine.decide(query("staging", 300, "", INVENTORY_READ),
                WorkloadState.holding(List.of(new ActiveGrant("req-prod", "task-0", "prod"))));

        // then
        assertEquals(Optional.of(DenyCode.ENVIRONMENT_SEPARATION), decision.denyCode());
    }

    @Test
    void shouldDenyTheSixthGrantWhenDeployerHoldsFive() {
        // given
        List<ActiveGrant> five = List.of(new ActiveGrant("r1", "t1", "staging"), new ActiveGrant("r2", "t2", "staging"),
                new ActiveGrant("r3", "t3", "staging"), new ActiveGrant("r4", "t4", "staging"), new ActiveGrant("r5", "t5", "staging"));

        // when
        Decision decision = engine.decide(query("staging", 300, "", INVENTORY_READ), WorkloadState.holding(five));

        // then
        assertEquals(Optional.of(DenyCode.TOO_MANY_ACTIVE_GRANTS), decision.denyCode());
    }

    @Test
    void shouldBindWorkloadsToTheEnvironmentTheirClaimNames() {
        // when
        Decision decision = engine.decide(query("staging", 300, "", INVENTORY_READ).withClaims(Map.of("environment", "dev")));

        // then
        assertEquals(Optional.of(DenyCode.ENVIRONMENT_BINDING), decision.denyCode());
    }
}
