package io.jitbroker.request.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects what the service logs to one logger and those below it (the root: everything), for a test to read back. */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
    }

    /** @param loggerName e.g. {@code jit.audit} */
    public static LogCapture attach(String loggerName) {
        LogCapture capture = new LogCapture((Logger) LoggerFactory.getLogger(loggerName));
        capture.events.start();
        capture.logger.addAppender(capture.events);
        return capture;
    }

    public static LogCapture attachToRoot() {
        return attach(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** Forgets the lines so far. */
    public void clear() {
        events.list.clear();
    }

    /** The first message that names {@code id} (e.g. an event id), as written. */
    public String lineFor(String id) {
        return messages().stream()
                .filter(line -> line.contains(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no log line for " + id + " in " + messages()));
    }

    /** Each message as written, without exceptions. */
    public List<String> messages() {
        return List.copyOf(events.list).stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Each event as the text a log file would hold: logger and message, then each exception with its stack. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(events.list)) {
            StringBuilder line = new StringBuilder(event.getLoggerName()).append(" - ").append(event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
                for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                    line.append("\n\t").append(frame.getSTEAsString());
                }
            }
            lines.add(line.toString());
        }
        return lines;
    }

    @Override
    public void close() {
        logger.detachAppender(events);
        events.stop();
    }
}
