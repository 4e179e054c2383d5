package io.jitbroker.bench;

/**
 * What one flow saw, step by step, for a caller that needs more than the recorder's histograms (the
 * chaos harness's checker). Called from the driver's HTTP threads; keep it quick. Times are wall-clock
 * epoch milliseconds.
 */
public interface FlowObserver {

    FlowObserver NONE = new FlowObserver() {
    };

    /** The flow for {@code taskId} started for {@code workload}. */
    default void started(String taskId, String workload) {
    }

    /** The access request was accepted (202) as {@code requestId}. */
    default void accepted(String taskId, String requestId, long atMillis) {
    }

    /** The ledger named the request issued as {@code grantId}. */
    default void issued(String taskId, String grantId) {
    }

    /** The task's COMPLETED event was accepted. */
    default void taskEnded(String taskId, long atMillis) {
    }

    /** The grant's revocation was read from jit.revocations.v1 (read_committed). */
    default void revocationRead(String taskId, long atMillis) {
    }

    /**
     * An introspection of the flow's credential was answered: {@code status} 200 with {@code active},
     * another status (active null), or no answer at all (status 0).
     */
    default void introspected(String taskId, long sentAtMillis, long answeredAtMillis, int status, Boolean active) {
    }
}
