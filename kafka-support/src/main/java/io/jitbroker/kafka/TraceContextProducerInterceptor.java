package io.jitbroker.kafka;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Puts the sending thread's trace context into every record it sends ({@code traceparent},
 * {@code tracestate}), so that the consumer's span continues the trace. Configured on every producer
 * ({@code interceptor.classes}, see {@link #CONFIG}): plain producers send from an HTTP request's or a
 * consumer's span, Kafka Streams forwards from a processor's span (replacing the header it copied from
 * the input record). A thread without a span leaves the record's headers as they are: the outbox relay
 * sends the context stored with the event.
 */
public final class TraceContextProducerInterceptor<K, V> implements ProducerInterceptor<K, V> {

    /** Producer setting that installs this interceptor. */
    public static final Map<String, Object> CONFIG = Map.of("interceptor.classes", TraceContextProducerInterceptor.class.getName());

    @Override
    public ProducerRecord<K, V> onSend(ProducerRecord<K, V> record) {
        Context context = Context.current();
        if (Span.fromContext(context).getSpanContext().isValid()) {
            W3CTraceContextPropagator.getInstance().inject(context, record.headers(), KafkaTracing.HEADER_SETTER);
        }
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        // nothing: the span that sent the record records the outcome
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
