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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * W3C trace context in Kafka record headers ({@code traceparent}, {@code tracestate}), so that one
 * trace follows a request or a task event across the services: a consumer handles a record in a
 * span that continues the record's trace ({@link #inConsumerSpan}), and what it sends meanwhile
 * carries that span ({@link TraceContextProducerInterceptor}). Uses whatever {@link OpenTelemetry}
 * the service configured; with none, nothing is recorded.
 */
public final class KafkaTracing {

    /** For code and tests without tracing: spans are no-ops. */
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
    /** Writes a trace header into a record's headers, replacing any there. */
    static final TextMapSetter<Headers> HEADER_SETTER = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public KafkaTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("io.jitbroker");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** The trace context as header values, to store beside a row and send later (an outbox). */
    public Map<String, String> serialize(Context context) {
        Map<String, String> carrier = new LinkedHashMap<>();
        propagator.inject(context, carrier, Map::put);
        return carrier;
    }

    /**
     * Runs {@code work} in a span that continues the record's trace, current while it runs (so what it
     * sends carries it), marked as an error if it throws.
     */
    public <T> T inConsumerSpan(String name, Headers headers, Supplier<T> work) {
        Span span = tracer.spanBuilder(name).setSpanKind(SpanKind.CONSUMER)
                .setParent(propagator.extract(Context.root(), headers, GETTER)).startSpan();
        try (Scope current = span.makeCurrent()) {
            return work.get();
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.toString());
            throw e;
        } finally {
            span.end();
        }
    }
}
