package io.jitbroker.revocation.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.TaskEventType;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TaskOutcomesTest {

    @Test
    void shouldGiveTheMatchingReasonWhenTaskEnds() {
        assertEquals(Optional.of(RevocationReason.TASK_COMPLETED), TaskOutcomes.revocationReasonFor(TaskEventType.COMPLETED));
        assertEquals(Optional.of(RevocationReason.TASK_FAILED), TaskOutcomes.revocationReasonFor(TaskEventType.FAILED));
        assertEquals(Optional.of(RevocationReason.TASK_CANCELLED), TaskOutcomes.revocationReasonFor(TaskEventType.CANCELLED));
    }

    @Test
    void shouldGiveNoReasonWhenTaskIsStillAlive() {
        assertEquals(Optional.empty(), TaskOutcomes.revocationReasonFor(TaskEventType.STARTED));
        assertEquals(Optional.empty(), TaskOutcomes.revocationReasonFor(TaskEventType.HEARTBEAT));
    }
}
