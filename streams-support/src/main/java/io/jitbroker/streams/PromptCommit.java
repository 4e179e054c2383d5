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
 * A processor that asks for a commit when a fresh record arrives after a quiet spell at least as
 * long as the application's {@code commit.interval.ms}, instead of leaving it to the next interval.
 *
 * <p>Under exactly-once, what a processor forwards is read downstream only once its transaction
 * commits, so a lone record waited for the interval to come round: on an idle system every hop cost
 * half an interval on average, and a credential several hops. Records closer together than the
 * interval are still committed together by the interval, so under load nothing changes. The quiet
 * spell is shared by every task of one processor node ({@link #of}), so a node that is busy on some
 * partitions does not commit for each record of a quiet one.
 *
 * <p>Only a fresh record asks: one that was processed less than an interval after it was produced
 * (its timestamp). Nothing is processed while a commit runs, so where commits are slow (replicated
 * topics on busy brokers) the first record after each would otherwise look like the end of a quiet
 * spell, and Streams, which honours a request after a single round of processing, would commit
 * about one record per transaction; a record that waited through a commit is not fresh and is left
 * to the interval, which batches. A producer whose clock runs behind only loses the early commit.
 */
public final class PromptCommit<KIn, VIn, KOut, VOut> implements Processor<KIn, VIn, KOut, VOut> {

    /** Kafka Streams' default commit interval under exactly-once, and otherwise. */
    private static final long EXACTLY_ONCE_DEFAULT_MS = 100;
    private static final long AT_LEAST_ONCE_DEFAULT_MS = 30_000;

    private final Processor<KIn, VIn, KOut, VOut> delegate;
    private final AtomicLong lastRecordMillis;
    private final LongSupplier wallClock;
    private ProcessorContext<KOut, VOut> context;
    private long quietMillis;

    PromptCommit(Processor<KIn, VIn, KOut, VOut> delegate, AtomicLong lastRecordMillis, LongSupplier wallClock) {
        this.delegate = delegate;
        this.lastRecordMillis = lastRecordMillis;
        this.wallClock = wallClock;
    }

    /** {@code supplier}'s processors, committing a fresh record that ends a quiet spell at once. */
    public static <KIn, VIn, KOut, VOut> ProcessorSupplier<KIn, VIn, KOut, VOut> of(
            ProcessorSupplier<KIn, VIn, KOut, VOut> supplier) {
        return of(supplier, System::currentTimeMillis);
    }

    /** @param wallClock milliseconds since the epoch, as record timestamps are */
    static <KIn, VIn, KOut, VOut> ProcessorSupplier<KIn, VIn, KOut, VOut> of(
            ProcessorSupplier<KIn, VIn, KOut, VOut> supplier, LongSupplier wallClock) {
        // "Never": the first record a node sees may commit at once.
        AtomicLong lastRecordMillis = new AtomicLong(wallClock.getAsLong() - TimeUnit.DAYS.toMillis(1));
        return () -> new PromptCommit<>(supplier.get(), lastRecordMillis, wallClock);
    }

    @Override
    public void init(ProcessorContext<KOut, VOut> context) {
        this.context = context;
        this.quietMillis = commitIntervalMs(context.appConfigs());
        delegate.init(context);
    }

    @Override
    public void process(Record<KIn, VIn> record) {
        long now = wallClock.getAsLong();
        long previous = lastRecordMillis.getAndSet(now);
        delegate.process(record);
        boolean fresh = now - record.timestamp() < quietMillis;
        if (fresh && now - previous >= quietMillis) {
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
