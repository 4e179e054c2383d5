package io.jitbroker.testkit;

import io.jitbroker.devstack.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A topology's test driver (a TopologyTestDriver and its topics), built afresh before each test in a
 * state directory of its own and closed after it: a test class registers its driver with
 * {@code @RegisterExtension final XDriver x = new XDriver();} and uses it, with no set-up of its own.
 * Streams state directories must not be shared between drivers (exactly-once state is corrupted).
 */
public abstract class TopologyDriverExtension implements BeforeEachCallback, AfterEachCallback {

    private Path stateDir;

    /** Builds the driver with its state in {@code stateDir}. */
    protected abstract void start(Path stateDir);

    /** Closes the driver. */
    protected abstract void stop();

    @Override
    public void beforeEach(ExtensionContext context) {
        stateDir = newStateDir();
        start(stateDir);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            stop();
        } finally {
            Directories.deleteRecursively(stateDir);
        }
    }

    /** Starts over with empty state, e.g. after a subclass changed its settings. */
    protected final void restart() {
        afterEach(null);
        beforeEach(null);
    }

    private static Path newStateDir() {
        try {
            return Files.createTempDirectory("topology-driver-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
