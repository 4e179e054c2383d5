package io.jitbroker.testkit;

import io.jitbroker.devstack.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A topology's test driver (a TopologyTestDriver and its topics), built afresh before each test in a
 * state directory of its own and closed after it: a test class registers its driver with
 * {@code @RegisterExtension final XDriver x = new XDriver();} and uses it, with no set-up of its own.
 * Streams state directories must not be shared between drivers (exactly-once state is corrupted).
 * The driver's wall clock starts at {@link #T0} and moves only when a test moves it.
 */
public abstract class TopologyDriverExtension implements BeforeEachCallback, AfterEachCallback {

    /** The driver's wall clock starts here; every time in the tests is relative to it. */
    public static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    /** Set by {@link #start}; closed after each test. */
    protected TopologyTestDriver driver;
    private Path stateDir;
    private String processingGuarantee = StreamsConfig.EXACTLY_ONCE_V2;
    /** How far the wall clock has moved from {@link #T0}. */
    private Duration elapsed = Duration.ZERO;

    /** Builds {@link #driver} (at {@link #T0}) with its state in {@code stateDir}. */
    protected abstract void start(Path stateDir);

    @Override
    public void beforeEach(ExtensionContext context) {
        stateDir = newStateDir();
        elapsed = Duration.ZERO;
        start(stateDir);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            driver.close();
        } finally {
            Directories.deleteRecursively(stateDir);
        }
    }

    /** Starts over with empty state, e.g. after a subclass changed its settings. */
    protected final void restart() {
        afterEach(null);
        beforeEach(null);
    }

    /** Starts over, empty, under another processing guarantee. */
    public void restartWith(String processingGuarantee) {
        this.processingGuarantee = processingGuarantee;
        restart();
    }

    /** What every driver's Streams config holds: its application id, no broker, the guarantee, its state. */
    protected final Properties streamsConfig(String applicationId, Path stateDir) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return config;
    }

    /** Moves the wall clock (and the time of what is piped next): punctuations due by then run. */
    public final void advanceWallClock(Duration by) {
        elapsed = elapsed.plus(by);
        driver.advanceWallClockTime(by);
    }

    public final void advanceWallClockTo(Instant at) {
        Instant now = now();
        if (at.isBefore(now)) {
            throw new IllegalArgumentException("the wall clock reads " + now + " already, cannot go back to " + at);
        }
        advanceWallClock(Duration.between(now, at));
    }

    /** What the wall clock reads. */
    public final Instant now() {
        return T0.plus(elapsed);
    }

    private static Path newStateDir() {
        try {
            return Files.createTempDirectory("topology-driver-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
