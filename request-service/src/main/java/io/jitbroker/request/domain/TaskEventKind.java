package io.jitbroker.request.domain;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** What a workload may report about its task. */
public enum TaskEventKind {
    STARTED, HEARTBEAT, COMPLETED, FAILED, CANCELLED;

    private static final Set<String> FIELDS = Set.of("type");

    /** @param body the request body parsed as a JSON object */
    public static TaskEventKind fromBody(Map<String, Object> body) {
        JsonFields.rejectUnknown("", body, FIELDS);
        Object type = body.get("type");
        if (type instanceof String name) {
            for (TaskEventKind kind : values()) {
                if (kind.name().equals(name)) {
                    return kind;
                }
            }
        }
        throw new InvalidRequestException("type", "type " + (type == null ? "is required" : "is not valid")
                + "; allowed values are " + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
}
