package io.jitbroker.devstack.launcher;

import io.jitbroker.devstack.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole dev stack as {@code ./jit-broker dev} runs it (infrastructure plus the four service
 * JVMs), on free ports in a fresh work directory, for the launcher's whole-stack tests: start it in
 * {@code @BeforeAll}, close it in {@code @AfterAll}.
 */
final class TestStack implements AutoCloseable {

    private final DevStack stack;
    private final WalkthroughClient client;

    private TestStack(DevStack stack) {
        this.stack = stack;
        this.client = new WalkthroughClient(stack);
    }

    /** @param name names the work directory, where the service logs stay after the run */
    static TestStack start(String name) {
        return new TestStack(DevStack.start(options(name)));
    }

    /** Kafka as in production: every service logs in as itself and may only do what its ACLs allow. */
    static TestStack startWithSecureKafka(String name) {
        return new TestStack(DevStack.start(options(name).withSecureKafka()));
    }

    private static DevStackOptions options(String name) {
        try {
            Path workDir = Files.createTempDirectory("jit-" + name + "-");
            return DevStackOptions.onFreePorts(DevStackOptions.locateRepositoryRoot(), workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    DevStack devStack() {
        return stack;
    }

    DevStackOptions options() {
        return stack.options();
    }

    WalkthroughClient client() {
        return client;
    }

    /** Stops everything; the data (Kafka log, PostgreSQL: tens of MB a run) goes, the service logs stay for a look. */
    @Override
    public void close() {
        stack.close();
        Directories.deleteRecursively(stack.options().dataDir());
    }
}
