package io.jitbroker.testkit;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The spans a service in this JVM ended, for assertions on traces: OpenTelemetry's exporter SPI under
 * the name {@code in-memory}, chosen by the service's configuration ({@link #SERVICE_SETTINGS}). Tests
 * tell their traces apart by trace id ({@link #newTraceParent}).
 */
public final class InMemorySpans implements ConfigurableSpanExporterProvider {

    /** Configuration that makes a service export its spans here, within milliseconds of their end. */
    public static final Map<String, Object> SERVICE_SETTINGS = Map.of(
            "otel.traces.exporter", "in-memory",
            "otel.bsp.schedule.delay", "10");

    private static final InMemorySpanExporter EXPORTER = InMemorySpanExporter.create();
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String getName() {
        return "in-memory";
    }

    @Override
    public SpanExporter createExporter(ConfigProperties config) {
        return EXPORTER;
    }

    /** A W3C {@code traceparent} of a fresh trace, as a caller outside the service would send it. */
    public static SpanContext newTraceParent() {
        HexFormat hex = HexFormat.of();
        byte[] trace = new byte[16];
        byte[] span = new byte[8];
        RANDOM.nextBytes(trace);
        RANDOM.nextBytes(span);
        return SpanContext.createFromRemoteParent(hex.formatHex(trace), hex.formatHex(span), TraceFlags.getSampled(),
                TraceState.getDefault());
    }

    /** The {@code traceparent} header value of {@code context}. */
    public static String traceParent(SpanContext context) {
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
    }

    /** The span a record's {@code traceparent} header names, if it has one. */
    public static Optional<SpanContext> traceParentOf(Headers headers) {
        Header header = headers.lastHeader("traceparent");
        if (header == null) {
            return Optional.empty();
        }
        String[] parts = new String(header.value(), StandardCharsets.UTF_8).split("-");
        return Optional.of(SpanContext.createFromRemoteParent(parts[1], parts[2], TraceFlags.fromHex(parts[3], 0),
                TraceState.getDefault()));
    }

    /** Waits until the span {@code span} names has ended and been exported; fails after {@code timeout}. */
    public static SpanData awaitSpan(SpanContext span, Duration timeout) {
        return await(span.getTraceId(), s -> s.getSpanId().equals(span.getSpanId()), "span " + span.getSpanId(), timeout);
    }

    /** Waits until a child of {@code parent} has ended and been exported; fails after {@code timeout}. */
    public static SpanData awaitChildOf(SpanContext parent, Duration timeout) {
        return await(parent.getTraceId(), s -> s.getParentSpanId().equals(parent.getSpanId()),
                "a child of span " + parent.getSpanId(), timeout);
    }

    private static SpanData await(String traceId, Predicate<SpanData> wanted, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<SpanData> span = EXPORTER.getFinishedSpanItems().stream()
                    .filter(s -> s.getTraceId().equals(traceId) && wanted.test(s)).findFirst();
            if (span.isPresent()) {
                return span.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " of trace " + traceId + " ended within " + timeout
                        + "; spans of that trace: " + EXPORTER.getFinishedSpanItems().stream()
                        .filter(s -> s.getTraceId().equals(traceId))
                        .map(s -> s.getName() + " " + s.getSpanId() + " (parent " + s.getParentSpanId() + ")").toList());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
