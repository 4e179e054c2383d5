package io.jitbroker.issuer.domain;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApprovedDecisionTest {

    private static final List<GrantedResource> RESOURCES =
            List.of(new GrantedResource("http", "orders-db", List.of("read")));

    @Test
    void shouldRejectWhenNoResourceGranted() {
        // when
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> new ApprovedDecision(
                "r-1", Fixtures.DEPLOYER, "t", "prod", List.of(), Duration.ofMinutes(5), null, null));

        // then
        assertTrue(e.getMessage().contains("grantedResources"), e.getMessage());
    }

    @Test
    void shouldRejectWhenTtlNotPositive() {
        // when
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> new ApprovedDecision(
                "r-1", Fixtures.DEPLOYER, "t", "prod", RESOURCES, Duration.ZERO, null, null));

        // then
        assertTrue(e.getMessage().contains("grantedTtlSeconds"), e.getMessage());
    }

    @Test
    void shouldRejectWhenWorkloadIsNotSpiffeId() {
        // when
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> new ApprovedDecision(
                "r-1", "deployer", "t", "prod", RESOURCES, Duration.ofMinutes(5), null, null));

        // then
        assertTrue(e.getMessage().contains("workloadId"), e.getMessage());
    }

    @Test
    void shouldRejectWhenActionWouldBreakScopeString() {
        // given: whitespace would split one scope entry into two
        List<GrantedResource> resources = List.of(new GrantedResource("http", "orders-db", List.of("read all")));

        // when
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> new ApprovedDecision(
                "r-1", Fixtures.DEPLOYER, "t", "prod", resources, Duration.ofMinutes(5), null, null));

        // then
        assertTrue(e.getMessage().contains("grantedResources.actions"), e.getMessage());
    }

    @Test
    void shouldRejectWhenTypeContainsColon() {
        // given
        List<GrantedResource> resources = List.of(new GrantedResource("pg:admin", "orders-db", List.of("read")));

        // when
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> new ApprovedDecision(
                "r-1", Fixtures.DEPLOYER, "t", "prod", resources, Duration.ofMinutes(5), null, null));

        // then
        assertTrue(e.getMessage().contains("grantedResources.type"), e.getMessage());
    }

    @Test
    void shouldRejectWhenHeartbeatIntervalNotPositive() {
        // when
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> new ApprovedDecision(
                "r-1", Fixtures.DEPLOYER, "t", "prod", RESOURCES, Duration.ofMinutes(5), Duration.ZERO, null));

        // then
        assertTrue(e.getMessage().contains("heartbeatIntervalSeconds"), e.getMessage());
    }

    @Test
    void shouldAcceptNoHeartbeatWhenDecisionRequiresNone() {
        // when
        ApprovedDecision decision = new ApprovedDecision("r-1", Fixtures.DEPLOYER, "t", "prod", RESOURCES,
                Duration.ofMinutes(5), null, null);

        // then
        assertNull(decision.heartbeatInterval());
    }

    @Test
    void shouldRejectWhenDpopJktIsNotAThumbprint() {
        // when
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> new ApprovedDecision(
                "r-1", Fixtures.DEPLOYER, "t", "prod", RESOURCES, Duration.ofMinutes(5), null, "not a thumbprint"));

        // then
        assertTrue(e.getMessage().contains("dpopJkt"), e.getMessage());
    }
}
