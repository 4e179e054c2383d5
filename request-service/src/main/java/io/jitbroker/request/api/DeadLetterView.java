package io.jitbroker.request.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jitbroker.request.domain.DeadLetterRecord;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A dead letter as GET /v1/dead-letters lists it: the rejected record's place, who rejected it, why
 * and when, and its size; the bytes themselves are only on the dead-letter topic, at
 * {@code deadLetterPartition}/{@code deadLetterOffset}.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record DeadLetterView(String sourceTopic, int sourcePartition, long sourceOffset, String consumer, String reason,
                             Instant failedAt, Integer payloadSize, int deadLetterPartition, long deadLetterOffset) {

    static DeadLetterView of(DeadLetterRecord r) {
        return new DeadLetterView(r.sourceTopic(), r.sourcePartition(), r.sourceOffset(), r.consumer(), r.reason(),
                r.failedAt(), r.payloadSize(), r.deadLetterPartition(), r.deadLetterOffset());
    }
}
