package io.jitbroker.issuer.domain;

import java.time.Instant;
import java.util.Map;

/**
 * Where the instances share their watermarks of jit.revocations.v1 (the consumer group spreads the
 * partitions over them, and any of them answers for any grant).
 */
public interface RevocationWatermarkStore {

    /**
     * Records confirmations made by one consumer, all at once. A partition's watermark only moves
     * forward: a confirmation older than the one recorded (another instance's, or a late write) changes
     * nothing.
     *
     * @param confirmedBy who confirmed them (the consumer's group member id), for operators
     */
    void record(Map<Integer, CatchUpTracker.Confirmation> confirmations, String confirmedBy);

    /** Every partition's watermark, as instants of this instance's clock. */
    Map<Integer, Instant> read();
}
