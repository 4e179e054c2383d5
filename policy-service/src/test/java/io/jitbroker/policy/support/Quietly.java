package io.jitbroker.policy.support;

/** Closes test resources in order, each even when an earlier one fails. */
public final class Quietly {

    private Quietly() {
    }

    /** Close clients and services before the infrastructure: stopping Kafka under them makes them wait for it. */
    public static void close(AutoCloseable... closeables) {
        for (AutoCloseable closeable : closeables) {
            if (closeable == null) {
                continue;
            }
            try {
                closeable.close();
            } catch (Exception e) {
                // best effort: the next resource must still be closed
            }
        }
    }
}
