package io.jitbroker.streams;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A processor that asks for a commit when a record arrives after a quiet spell at least as long as
 * the application's {@code commit.interval.ms}, instead of leaving it to the next interval.
 *
 * <p>Under exactly-once, what a processor forwards is read downstream only once its transaction
 * commits, so a lone record waited for the interval to come round: on an idle system every hop cost
 * half an interval on average, and a credential several hops. Records closer together than the
 * interval are still committed together by the interval, so under load nothing changes; at most one
 * commit per interval is asked for, so there are never more than twice the interval's transactions.
 * The quiet spell is shared by every task of one processor node ({@link #of}), so a node that is
 * busy on some partitions does not commit for each record of a quiet one.
 */
public final class PromptCommit<KIn, VIn, KOut, VOut> implements Processor<KIn, VIn, KOut, VOut> {

    /** Kafka Streams' default commit interval under exactly-once, and otherwise. */
    private static final long EXACTLY_ONCE_DEFAULT_MS = 100;
    private static final long AT_LEAST_ONCE_DEFAULT_MS = 30_000;

    private final Processor<KIn, VIn, KOut, VOut> delegate;
    private final AtomicLong lastRecordNanos;
    private final LongSupplier nanoClock;
    private ProcessorContext<KOut, VOut> context;
    private long quietNanos;

    PromptCommit(Processor<KIn, VIn, KOut, VOut> delegate, AtomicLong lastRecordNanos, LongSupplier nanoClock) {
        this.delegate = delegate;
        this.lastRecordNanos = lastRecordNanos;
        this.nanoClock = nanoClock;
    }

    /** {@code supplier}'s processors, committing a record that ends a quiet spell at once. */
    public static <KIn, VIn, KOut, VOut> ProcessorSupplier<KIn, VIn, KOut, VOut> of(
            ProcessorSupplier<KIn, VIn, KOut, VOut> supplier) {
        return of(supplier, System::nanoTime);
    }

    static <KIn, VIn, KOut, VOut> ProcessorSupplier<KIn, VIn, KOut, VOut> of(
            ProcessorSupplier<KIn, VIn, KOut, VOut> supplier, LongSupplier nanoClock) {
        // "Never": the first record a node sees commits at once.
        AtomicLong lastRecordNanos = new AtomicLong(nanoClock.getAsLong() - TimeUnit.DAYS.toNanos(1));
        return () -> new PromptCommit<>(supplier.get(), lastRecordNanos, nanoClock);
    }

    @Override
    public void init(ProcessorContext<KOut, VOut> context) {
        this.context = context;
        this.quietNanos = TimeUnit.MILLISECONDS.toNanos(commitIntervalMs(context.appConfigs()));
        delegate.init(context);
    }

    @Override
    public void process(Record<KIn, VIn> record) {
        long now = nanoClock.getAsLong();
        long previous = lastRecordNanos.getAndSet(now);
        delegate.process(record);
        if (now - previous >= quietNanos) {
            context.commit(); // a request: Streams commits once this round of processing is done
        }
    }

    @Override
    public void close() {
        delegate.close();
    }

    static long commitIntervalMs(Map<String, Object> appConfigs) {
        Object configured = appConfigs.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
        if (configured != null) {
            return configured instanceof Number number ? number.longValue() : Long.parseLong(configured.toString().trim());
        }
        Object guarantee = appConfigs.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
        return StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee == null ? null : guarantee.toString())
                ? EXACTLY_ONCE_DEFAULT_MS : AT_LEAST_ONCE_DEFAULT_MS;
    }
}
