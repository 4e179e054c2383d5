package io.jitbroker.micronaut.logging;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.MDC;

/**
 * The ids a piece of work is about (requestId, grantId, taskId, workloadId), in the MDC while it
 * runs: every log line written meanwhile carries them (the JSON log format writes the MDC).
 *
 * <pre>{@code try (LogContext ids = LogContext.of(LogContext.REQUEST_ID, id, LogContext.WORKLOAD_ID, workload)) { ... }}</pre>
 */
public final class LogContext implements AutoCloseable {

    public static final String REQUEST_ID = "requestId";
    public static final String GRANT_ID = "grantId";
    public static final String TASK_ID = "taskId";
    public static final String WORKLOAD_ID = "workloadId";

    private final List<String> keys;

    private LogContext(List<String> keys) {
        this.keys = keys;
    }

    /** @param namesAndValues name, value, name, value, ...; a null value is left out */
    public static LogContext of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        List<String> keys = new ArrayList<>(namesAndValues.length / 2);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object value = namesAndValues[i + 1];
            if (value != null) {
                String key = (String) namesAndValues[i];
                MDC.put(key, value.toString());
                keys.add(key);
            }
        }
        return new LogContext(keys);
    }

    @Override
    public void close() {
        keys.forEach(MDC::remove);
    }
}
