package io.jitbroker.revocation.topology;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.contracts.Topics;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoPartitioningTest {

    @Test
    void shouldAcceptWhenEveryInputTopicHasTheSamePartitionCount() {
        assertDoesNotThrow(() -> RevocationTopology.requireCoPartitioned(Map.of(
                Topics.GRANTS.name(), 6, Topics.TASK_EVENTS.name(), 6,
                Topics.CONTEXT_EVENTS.name(), 6, Topics.REVOCATION_REQUESTS.name(), 6)));
    }

    @Test
    void shouldRefuseNamingTheCountsWhenOneInputTopicDiffers() {
        // when
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> RevocationTopology.requireCoPartitioned(
                Map.of(Topics.GRANTS.name(), 6, Topics.TASK_EVENTS.name(), 6,
                        Topics.CONTEXT_EVENTS.name(), 3, Topics.REVOCATION_REQUESTS.name(), 6)));

        // then
        assertTrue(error.getMessage().contains(Topics.CONTEXT_EVENTS.name() + "=3"), error.getMessage());
    }

    @Test
    void shouldRefuseNamingTheTaskSideWhenTaskEventsDifferFromGrants() {
        // when
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> RevocationTopology.requireCoPartitioned(
                Map.of(Topics.GRANTS.name(), 6, Topics.TASK_EVENTS.name(), 3,
                        Topics.CONTEXT_EVENTS.name(), 6, Topics.REVOCATION_REQUESTS.name(), 6)));

        // then
        assertTrue(error.getMessage().contains("partitioned by task id"), error.getMessage());
        assertTrue(error.getMessage().contains(Topics.TASK_EVENTS.name() + "=3"), error.getMessage());
    }

    @Test
    void shouldRefuseNamingTheWorkloadSideWhenContextEventsDifferFromRequests() {
        // when
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> RevocationTopology.requireCoPartitioned(
                Map.of(Topics.GRANTS.name(), 6, Topics.TASK_EVENTS.name(), 6,
                        Topics.CONTEXT_EVENTS.name(), 6, Topics.REVOCATION_REQUESTS.name(), 3)));

        // then
        assertTrue(error.getMessage().contains("partitioned by workload id"), error.getMessage());
    }

    @Test
    void shouldRefuseWhenAnInputTopicIsMissing() {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> RevocationTopology.requireCoPartitioned(
                Map.of(Topics.GRANTS.name(), 3, Topics.TASK_EVENTS.name(), 3, Topics.CONTEXT_EVENTS.name(), 3)));
        assertTrue(error.getMessage().contains(Topics.REVOCATION_REQUESTS.name()), error.getMessage());
    }
}
