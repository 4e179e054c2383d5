package io.jitbroker.request.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/** Collects what the service writes to the {@code jit.audit} log, for a test to read back. */
public final class AuditCapture implements AutoCloseable {

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    private AuditCapture() {
    }

    public static AuditCapture attach() {
        AuditCapture capture = new AuditCapture();
        capture.lines.start();
        audit().addAppender(capture.lines);
        return capture;
    }

    /** Forgets the lines so far. */
    public void clear() {
        lines.list.clear();
    }

    /** The first line that names {@code id} (an event id), as written. */
    public String lineFor(String id) {
        return lines.list.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(line -> line.contains(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no audit line for " + id + " in " + lines.list));
    }

    @Override
    public void close() {
        audit().detachAppender(lines);
        lines.stop();
    }

    private static Logger audit() {
        return (Logger) LoggerFactory.getLogger("jit.audit");
    }
}
