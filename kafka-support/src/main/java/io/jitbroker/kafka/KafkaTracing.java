package io.jitbroker.kafka;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * W3C trace context in Kafka record headers ({@code traceparent}, {@code tracestate}), so that one
 * trace follows a request or a task event across the services: a consumer starts its span as a child
 * of the record's context ({@link #startConsumerSpan}), and what it writes carries its own
 * ({@link #inject}). Uses whatever {@link OpenTelemetry} the service configured; with none, nothing is
 * recorded and nothing is added.
 */
public final class KafkaTracing {

    /** For code and tests without tracing: spans are no-ops, headers stay as they are. */
    public static final KafkaTracing NOOP = new KafkaTracing(OpenTelemetry.noop());

    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            headers.forEach(header -> keys.add(header.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };
    private static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public KafkaTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("io.jitbroker");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** The trace context a record carries (the root context when it carries none). */
    public Context extract(Headers headers) {
        return propagator.extract(Context.root(), headers, GETTER);
    }

    /** Writes {@code context}'s trace into {@code headers}, replacing any there. */
    public void inject(Context context, Headers headers) {
        propagator.inject(context, headers, SETTER);
    }

    /** The trace context as header values, to store beside a row and send later (an outbox). */
    public Map<String, String> serialize(Context context) {
        Map<String, String> carrier = new java.util.LinkedHashMap<>();
        propagator.inject(context, carrier, (map, key, value) -> map.put(key, value));
        return carrier;
    }

    /** A span for work caused by a record: a child of the record's context; end it when done. */
    public Span startConsumerSpan(String name, Headers headers) {
        return tracer.spanBuilder(name).setSpanKind(SpanKind.CONSUMER).setParent(extract(headers)).startSpan();
    }

    /**
     * Runs {@code work} in a span that continues the record's trace, current while it runs (so what it
     * sends carries it), marked as an error if it throws.
     */
    public <T> T inConsumerSpan(String name, Headers headers, Supplier<T> work) {
        Span span = startConsumerSpan(name, headers);
        try (Scope current = span.makeCurrent()) {
            return work.get();
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.toString());
            throw e;
        } finally {
            span.end();
        }
    }

    /** A span for work inside the current context (an HTTP request's, or a consumer span's). */
    public Span startInternalSpan(String name, Context parent) {
        return tracer.spanBuilder(name).setSpanKind(SpanKind.INTERNAL).setParent(parent).startSpan();
    }
}
