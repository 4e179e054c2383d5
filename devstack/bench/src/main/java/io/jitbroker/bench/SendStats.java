package io.jitbroker.bench;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.RecordMetadata;

/** What a producer's send callbacks saw: failures (the first kept) and the sizes of what was appended. */
final class SendStats {

    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder keyBytes = new LongAdder();
    private final LongAdder valueBytes = new LongAdder();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    /** Counts one callback; returns whether the send succeeded. */
    boolean onCompletion(RecordMetadata metadata, Exception exception) {
        if (exception != null) {
            failures.increment();
            firstFailure.compareAndSet(null, exception);
            return false;
        }
        acknowledged.increment();
        keyBytes.add(Math.max(0, metadata.serializedKeySize()));
        valueBytes.add(Math.max(0, metadata.serializedValueSize()));
        return true;
    }

    long acknowledged() {
        return acknowledged.sum();
    }

    long failures() {
        return failures.sum();
    }

    Exception firstFailure() {
        return firstFailure.get();
    }

    int averageKeyBytes() {
        long n = acknowledged();
        return n == 0 ? 0 : (int) Math.round((double) keyBytes.sum() / n);
    }

    int averageValueBytes() {
        long n = acknowledged();
        return n == 0 ? 0 : (int) Math.round((double) valueBytes.sum() / n);
    }

    @Override
    public String toString() {
        return failures() == 0 ? "no send failures"
                : failures() + " send failures, first: " + firstFailure();
    }
}
