package io.jitbroker.issuer.persistence;

import io.jitbroker.issuer.domain.CatchUpTracker;
import io.jitbroker.issuer.domain.RevocationWatermarkStore;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Watermarks on PostgreSQL (V6__revocation_watermarks.sql), kept on the database's clock: an instance
 * writes how long ago (on its clock) it confirmed a partition, and reads how long ago (on the database's
 * clock) each partition was confirmed. So the instances' clocks need not agree with each other; a write
 * is dated a round trip late at worst (milliseconds, against a bound of seconds).
 */
@Singleton
public class JdbcRevocationWatermarkStore implements RevocationWatermarkStore {

    private final JdbcOperations jdbc;
    private final Clock clock;

    public JdbcRevocationWatermarkStore(JdbcOperations jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    @Transactional
    public void record(Map<Integer, CatchUpTracker.Confirmation> confirmations, String confirmedBy) {
        if (confirmations.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Integer[] partitions = new Integer[confirmations.size()];
        Long[] agesMillis = new Long[confirmations.size()];
        Long[] endOffsets = new Long[confirmations.size()];
        int i = 0;
        for (Map.Entry<Integer, CatchUpTracker.Confirmation> confirmation : confirmations.entrySet()) {
            partitions[i] = confirmation.getKey();
            agesMillis[i] = Math.max(0, Duration.between(confirmation.getValue().caughtUpAt(), now).toMillis());
            endOffsets[i] = confirmation.getValue().endOffset();
            i++;
        }
        jdbc.prepareStatement("""
                INSERT INTO revocation_watermarks (topic_partition, caught_up_at, end_offset, confirmed_by)
                SELECT w.topic_partition, statement_timestamp() - w.age_ms * INTERVAL '1 millisecond', w.end_offset, ?
                FROM unnest(?::integer[], ?::bigint[], ?::bigint[]) AS w (topic_partition, age_ms, end_offset)
                ON CONFLICT (topic_partition) DO UPDATE
                    SET caught_up_at = EXCLUDED.caught_up_at, end_offset = EXCLUDED.end_offset,
                        confirmed_by = EXCLUDED.confirmed_by
                    WHERE revocation_watermarks.caught_up_at < EXCLUDED.caught_up_at""", statement -> {
            Connection connection = statement.getConnection();
            statement.setString(1, confirmedBy);
            statement.setArray(2, connection.createArrayOf("integer", partitions));
            statement.setArray(3, connection.createArrayOf("bigint", agesMillis));
            statement.setArray(4, connection.createArrayOf("bigint", endOffsets));
            return statement.executeUpdate();
        });
    }

    @Override
    @Transactional
    public Map<Integer, Instant> read() {
        Instant now = clock.instant();
        return jdbc.prepareStatement("""
                SELECT topic_partition, (EXTRACT(EPOCH FROM statement_timestamp() - caught_up_at) * 1000)::bigint AS age_ms
                FROM revocation_watermarks""", statement -> {
            Map<Integer, Instant> watermarks = new HashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    // Read as an age and dated on this clock: a confirmation is never made younger than it is.
                    watermarks.put(rows.getInt("topic_partition"), now.minusMillis(rows.getLong("age_ms")));
                }
            }
            return watermarks;
        });
    }
}
