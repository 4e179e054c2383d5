package io.jitbroker.request.domain;

import java.util.Map;
import java.util.Set;

/** What a workload may report about its task. */
public enum TaskEventKind {
    STARTED, HEARTBEAT, COMPLETED, FAILED, CANCELLED;

    private static final Set<String> FIELDS = Set.of("type");

    /** @param body the request body parsed as a JSON object */
    public static TaskEventKind fromBody(Map<String, Object> body) {
        JsonFields.rejectUnknown("", body, FIELDS);
        return JsonFields.requiredEnum("type", body.get("type"), values());
    }
}
