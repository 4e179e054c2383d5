package io.jitbroker.request.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A dead letter as the ledger database keeps it: where the rejected record is, who rejected it and
 * why. The rejected bytes are not kept (they may hold anything); {@code payloadSize} says how many
 * there were, and the dead letter itself, with the bytes, stays on the dead-letter topic at
 * {@code deadLetterPartition}/{@code deadLetterOffset}.
 *
 * @param payloadSize null when the rejected record had no value
 */
public record DeadLetterRecord(String sourceTopic, int sourcePartition, long sourceOffset, String consumer, String reason,
                               Instant failedAt, Integer payloadSize, int deadLetterPartition, long deadLetterOffset) {

    public DeadLetterRecord {
        Objects.requireNonNull(sourceTopic, "sourceTopic");
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(failedAt, "failedAt");
    }
}
