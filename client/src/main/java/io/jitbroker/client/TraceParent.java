package io.jitbroker.client;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A W3C trace context ({@code traceparent}) for a workload's task: sent with every call
 * ({@link JitClient.Builder#traceParent}), it makes the request, its decision and grant, the pickup
 * and the task's end one trace in the services' tracing.
 */
public final class TraceParent {

    private static final Pattern VALID = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private TraceParent() {
    }

    /** A new trace, sampled, with this client as its first span. */
    public static String newTrace() {
        byte[] trace = new byte[16];
        byte[] span = new byte[8];
        RANDOM.nextBytes(trace);
        RANDOM.nextBytes(span);
        return "00-" + HexFormat.of().formatHex(trace) + "-" + HexFormat.of().formatHex(span) + "-01";
    }

    /** {@code value} when it is a version-00 traceparent (e.g. a CI system's {@code TRACEPARENT}); else a new trace. */
    public static String orNewTrace(String value) {
        return value != null && VALID.matcher(value.trim()).matches() ? value.trim() : newTrace();
    }
}
