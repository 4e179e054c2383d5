package io.jitbroker.jitctl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM go to a handler instead of stopping the JVM, until {@link #close()} gives them
 * back to the JVM's own handling. The handler runs on a thread of its own.
 */
final class Signals implements AutoCloseable {

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    private Signals() {
    }

    /** @param handler gets the signal: its name (INT, TERM) and number */
    static Signals handle(Consumer<Signal> handler) {
        Signals signals = new Signals();
        for (String name : List.of("INT", "TERM")) {
            Signal signal = new Signal(name);
            signals.previous.put(signal, Signal.handle(signal, handler::accept));
        }
        return signals;
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
