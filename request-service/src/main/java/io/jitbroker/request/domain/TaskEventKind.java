package io.jitbroker.request.domain;


/** What a workload may report about its task. */
public enum TaskEventKind {
    STARTED, HEARTBEAT, COMPLETED, FAILED, CANCELLED;

    /** @param type the body's {@code type}, by its exact name; null when absent */
    public static TaskEventKind of(String type) {
        return JsonFields.requiredEnum("type", type, values());
    }
}
