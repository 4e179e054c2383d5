package io.jitbroker.policy.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.events.v1.AccessRequest;
import io.jitbroker.events.v1.Resource;
import io.jitbroker.policy.domain.Decision;
import io.jitbroker.policy.domain.Outcome;
import io.jitbroker.policy.domain.ResourceAccess;
import io.jitbroker.kafka.RegistrySerdes;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DecisionEventsTest {

    private static final Instant DECIDED_AT = Instant.parse("2026-11-23T10:00:00Z");

    @BeforeAll
    static void trustEvents() {
        RegistrySerdes.trustEventsPackage();
    }

    @Test
    void shouldReadHeartbeatIntoQueryWhenRequestHasOne() {
        // given
        AccessRequest request = request(45L);

        // when
        OptionalLong heartbeat = DecisionEvents.toQuery(request).heartbeatIntervalSeconds();

        // then
        assertEquals(OptionalLong.of(45), heartbeat);
    }

    @Test
    void shouldReadNoHeartbeatIntoQueryWhenRequestHasNull() {
        // given
        AccessRequest request = request(null);

        // when
        OptionalLong heartbeat = DecisionEvents.toQuery(request).heartbeatIntervalSeconds();

        // then
        assertEquals(OptionalLong.empty(), heartbeat);
    }

    @Test
    void shouldWriteHeartbeatIntoDecisionWhenApprovalRequiresOne() {
        // given
        Decision approval = approval(OptionalLong.of(45));

        // when
        AccessDecision event = DecisionEvents.toDecision(request(45L), approval, DECIDED_AT, null);

        // then
        assertEquals(45L, event.getHeartbeatIntervalSeconds());
    }

    @Test
    void shouldWriteNullHeartbeatIntoDecisionWhenNoneRequired() {
        // given
        Decision approval = approval(OptionalLong.empty());

        // when
        AccessDecision event = DecisionEvents.toDecision(request(null), approval, DECIDED_AT, null);

        // then
        assertNull(event.getHeartbeatIntervalSeconds());
    }

    private static Decision approval(OptionalLong heartbeat) {
        return new Decision(Outcome.APPROVED, List.of(new ResourceAccess("http", "inventory-api", List.of("read"))),
                300, heartbeat, List.of("granted [read] on http/inventory-api by r"), List.of("r"), "v1");
    }

    private static AccessRequest request(Long heartbeatIntervalSeconds) {
        return AccessRequest.newBuilder()
                .setRequestId("req-1")
                .setWorkloadId("spiffe://dev.local/ci/deployer")
                .setTaskId("task-1")
                .setEnvironment("staging")
                .setResources(List.of(Resource.newBuilder().setType("http").setId("inventory-api")
                        .setActions(List.of("read")).build()))
                .setTtlSeconds(300)
                .setHeartbeatIntervalSeconds(heartbeatIntervalSeconds)
                .setRequestedAt(DECIDED_AT)
                .build();
    }
}
