package io.jitbroker.streams;

import io.jitbroker.kafka.KafkaTracing;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A processor whose handling of each record is a span, child of the trace context the record carries
 * (W3C headers), and current while it runs: what it forwards is sent with its context
 * ({@link io.jitbroker.kafka.TraceContextProducerInterceptor}). Punctuations are not traced here.
 */
public final class TracedProcessor<KIn, VIn, KOut, VOut> implements Processor<KIn, VIn, KOut, VOut> {

    private final Processor<KIn, VIn, KOut, VOut> delegate;
    private final KafkaTracing tracing;
    private final String spanName;

    private TracedProcessor(Processor<KIn, VIn, KOut, VOut> delegate, KafkaTracing tracing, String spanName) {
        this.delegate = delegate;
        this.tracing = tracing;
        this.spanName = spanName;
    }

    /** {@code supplier}'s processors, traced with spans named {@code spanName}. */
    public static <KIn, VIn, KOut, VOut> ProcessorSupplier<KIn, VIn, KOut, VOut> of(
            KafkaTracing tracing, String spanName, ProcessorSupplier<KIn, VIn, KOut, VOut> supplier) {
        return () -> new TracedProcessor<>(supplier.get(), tracing, spanName);
    }

    @Override
    public void init(ProcessorContext<KOut, VOut> context) {
        delegate.init(context);
    }

    @Override
    public void process(Record<KIn, VIn> record) {
        tracing.inConsumerSpan(spanName, record.headers(), () -> {
            delegate.process(record);
            return null;
        });
    }

    @Override
    public void close() {
        delegate.close();
    }
}
