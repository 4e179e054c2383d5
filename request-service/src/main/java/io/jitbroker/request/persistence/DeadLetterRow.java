package io.jitbroker.request.persistence;

import io.jitbroker.request.domain.DeadLetterRecord;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** One row of the {@code dead_letters} table (see V4__audit_queries_dead_letters_alerts.sql). */
@MappedEntity("dead_letters")
public record DeadLetterRow(
        @Id @GeneratedValue Long id,
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        String consumer,
        String reason,
        Instant failedAt,
        @Nullable Integer payloadSize,
        int deadLetterPartition,
        long deadLetterOffset) {

    DeadLetterRecord toDomain() {
        return new DeadLetterRecord(sourceTopic, sourcePartition, sourceOffset, consumer, reason, failedAt, payloadSize,
                deadLetterPartition, deadLetterOffset);
    }
}
