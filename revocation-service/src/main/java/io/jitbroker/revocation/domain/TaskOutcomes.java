package io.jitbroker.revocation.domain;

import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.TaskEventType;
import java.util.Optional;

/** Which task lifecycle events end a task, and with which revocation reason. */
public final class TaskOutcomes {

    private TaskOutcomes() {
    }

    /**
     * The reason to revoke a task's grants when it reports {@code type}, or empty when the event
     * does not end the task (STARTED and HEARTBEAT keep it alive).
     */
    public static Optional<RevocationReason> revocationReasonFor(TaskEventType type) {
        return switch (type) {
            case COMPLETED -> Optional.of(RevocationReason.TASK_COMPLETED);
            case FAILED -> Optional.of(RevocationReason.TASK_FAILED);
            case CANCELLED -> Optional.of(RevocationReason.TASK_CANCELLED);
            case STARTED, HEARTBEAT -> Optional.empty();
        };
    }
}
