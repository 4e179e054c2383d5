package io.jitbroker.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class PromptCommitTest {

    private final AtomicLong millis = new AtomicLong(1_800_000_000_000L);
    private final List<String> processed = new ArrayList<>();
    private final ProcessorSupplier<String, String, String, String> commitsAfterQuiet =
            PromptCommit.of(() -> record -> processed.add(record.value()), millis::get);

    @Test
    void aRecordAfterAQuietSpellIsCommittedAtOnceAndOneCloseBehindItWaitsForTheInterval() {
        MockProcessorContext<String, String> context = contextWithCommitInterval(20);
        Processor<String, String, String, String> processor = started(commitsAfterQuiet, context);

        processor.process(produced("first"));
        assertTrue(context.committed(), "the first record a node sees ends a quiet spell");

        context.resetCommit();
        advanceMillis(5);
        processor.process(produced("close behind"));
        assertFalse(context.committed(), "5 ms after the last record: left to the commit interval");

        advanceMillis(20);
        processor.process(produced("after a quiet spell"));
        assertTrue(context.committed(), "20 ms of quiet: committed at once");
        assertEquals(List.of("first", "close behind", "after a quiet spell"), processed);
    }

    @Test
    void theQuietSpellIsSharedByEveryTaskOfTheNode() {
        MockProcessorContext<String, String> busyTask = contextWithCommitInterval(20);
        MockProcessorContext<String, String> quietTask = contextWithCommitInterval(20);
        Processor<String, String, String, String> busy = started(commitsAfterQuiet, busyTask);
        Processor<String, String, String, String> quiet = started(commitsAfterQuiet, quietTask);

        busy.process(produced("busy"));
        advanceMillis(3);
        quiet.process(produced("quiet"));

        assertFalse(quietTask.committed(), "the node had a record 3 ms ago: no commit of its own");
    }

    @Test
    void aRecordThatWaitedThroughASlowCommitIsLeftToTheIntervalHoweverLongThePauseBeforeIt() {
        MockProcessorContext<String, String> context = contextWithCommitInterval(20);
        Processor<String, String, String, String> processor = started(commitsAfterQuiet, context);
        processor.process(produced("before the commit"));
        context.resetCommit();

        // produced while the thread was committing (300 ms, nothing processed), read right after
        Record<String, String> waited = new Record<>("k", "waited", millis.get() + 50);
        advanceMillis(300);
        processor.process(waited);

        assertFalse(context.committed(), "it waited 250 ms: not fresh, so the interval batches it with the rest");
    }

    @Test
    void theCommitIntervalIsReadFromTheAppConfigWithStreamsDefaults() {
        assertEquals(50, PromptCommit.commitIntervalMs(Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "50")));
        assertEquals(20, PromptCommit.commitIntervalMs(Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 20)));
        assertEquals(100, PromptCommit.commitIntervalMs(
                Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)));
        assertEquals(30_000, PromptCommit.commitIntervalMs(Map.of()));
    }

    /** A record produced just now. */
    private Record<String, String> produced(String value) {
        return new Record<>("k", value, millis.get());
    }

    private void advanceMillis(long millis) {
        this.millis.addAndGet(millis);
    }

    private static MockProcessorContext<String, String> contextWithCommitInterval(long millis) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "prompt-commit-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(millis));
        return new MockProcessorContext<>(config);
    }

    private static Processor<String, String, String, String> started(
            ProcessorSupplier<String, String, String, String> supplier, MockProcessorContext<String, String> context) {
        Processor<String, String, String, String> processor = supplier.get();
        processor.init(context);
        return processor;
    }
}
