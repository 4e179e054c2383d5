package io.jitbroker.request.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface DeadLetterRepository extends GenericRepository<DeadLetterRow, Long> {

    /** @return 1 when stored, 0 when this consumer's dead letter for that record was stored already */
    @Query("""
            INSERT INTO dead_letters (source_topic, source_partition, source_offset, consumer, reason, failed_at,
                                      payload_size, dead_letter_partition, dead_letter_offset)
            VALUES (:sourceTopic, :sourcePartition, :sourceOffset, :consumer, :reason, :failedAt,
                    :payloadSize, :deadLetterPartition, :deadLetterOffset)
            ON CONFLICT (source_topic, source_partition, source_offset, consumer) DO NOTHING""")
    int insertIfAbsent(String sourceTopic, int sourcePartition, long sourceOffset, String consumer, String reason,
                       Instant failedAt, @Nullable Integer payloadSize, int deadLetterPartition, long deadLetterOffset);

    @Query("SELECT * FROM dead_letters ORDER BY failed_at DESC, id DESC LIMIT :limit")
    List<DeadLetterRow> findNewest(int limit);

    @Query("""
            SELECT * FROM dead_letters WHERE (failed_at, id) < (:failedAt, :id)
            ORDER BY failed_at DESC, id DESC LIMIT :limit""")
    List<DeadLetterRow> findNewestBefore(Instant failedAt, long id, int limit);
}
