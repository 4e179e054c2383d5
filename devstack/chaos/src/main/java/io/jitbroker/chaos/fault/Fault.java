package io.jitbroker.chaos.fault;

/**
 * One fault and its repair, done to the cluster while the load runs. {@link #inject} returns once the
 * fault has been repaired (the process started again, the link up again); recovery is then awaited by
 * the schedule.
 *
 * @param description a short name for the report, e.g. "SIGKILL of the active controller"
 * @param injection   does the fault, holds it, repairs it
 */
public record Fault(String description, Injection injection) {

    @FunctionalInterface
    public interface Injection {
        /** Returns a description of what was hit. */
        String run() throws Exception;
    }

    /** Does the fault, holds it, repairs it; returns a description of what was hit. */
    public String inject() throws Exception {
        return injection.run();
    }
}
