package io.jitbroker.chaos.fault;

/**
 * One fault and its repair, done to the cluster while the load runs. {@link #inject} returns once the
 * fault has been repaired (the process started again, the link up again); recovery is then awaited by
 * the schedule.
 */
public interface Fault {

    /** A short name for the report, e.g. "kill broker-2 (leads 14 partitions)". */
    String describe();

    /** Does the fault, holds it, repairs it; returns a description of what was hit. */
    String inject() throws Exception;
}
