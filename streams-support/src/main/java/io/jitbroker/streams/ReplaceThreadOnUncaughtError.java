package io.jitbroker.streams;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream thread that dies is replaced. Under exactly-once its open transaction is aborted and
 * its tasks resume from their last committed offsets and state, so no revocation is lost or
 * doubled (a decision or a revocation). Shutting down instead would stop the service silently, which
 * is worse than retrying; the error is logged every time so a record that keeps failing is seen.
 */
public final class ReplaceThreadOnUncaughtError implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ReplaceThreadOnUncaughtError.class);

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        LOG.error("A Kafka Streams thread failed; replacing it (its transaction is aborted "
                + "and its tasks resume from the last commit)", exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
