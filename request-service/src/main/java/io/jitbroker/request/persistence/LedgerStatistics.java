package io.jitbroker.request.persistence;

import io.jitbroker.request.domain.DecisionOutcome;
import io.jitbroker.request.domain.DecisionTimeline;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counts over the ledger database for gauges and charts; each is one indexed aggregate query. */
@Singleton
public class LedgerStatistics {

    private final JdbcOperations jdbc;

    public LedgerStatistics(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** Requests waiting for an SRE's approval. */
    @Transactional
    public long pendingApprovals() {
        return count(new SqlQuery("SELECT count(*) FROM access_request WHERE status = 'PENDING_APPROVAL'", List.of()));
    }

    /** Grants live at {@code now}: issued, not revoked, not expired. */
    @Transactional
    public long activeGrants(Instant now) {
        return count(new SqlQuery("SELECT count(*) FROM access_request WHERE status = 'ISSUED' AND expires_at > ?",
                List.of(now)));
    }

    /** Dead letters recorded, by the consumer that rejected the record. */
    @Transactional
    public Map<String, Long> deadLettersByConsumer() {
        return jdbc.prepareStatement("SELECT consumer, count(*) FROM dead_letters GROUP BY consumer ORDER BY consumer",
                statement -> {
                    Map<String, Long> counts = new LinkedHashMap<>();
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            counts.put(rows.getString(1), rows.getLong(2));
                        }
                    }
                    return counts;
                });
    }

    /** Requests by the minute their current decision was made, within the window. */
    @Transactional
    public Map<Instant, Map<DecisionOutcome, Long>> decisionsPerMinute(DecisionTimeline.Window window) {
        SqlQuery sql = new SqlQuery("""
                SELECT date_trunc('minute', decided_at AT TIME ZONE 'UTC') AS minute, decision, count(*) FROM access_request
                WHERE decided_at >= ? AND decided_at < ? AND decision IS NOT NULL
                GROUP BY 1, 2""", List.of(window.from(), window.to()));
        return jdbc.prepareStatement(sql.sql(), statement -> {
            sql.bind(statement);
            Map<Instant, Map<DecisionOutcome, Long>> counts = new HashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    // Truncated in UTC, not in the session's zone: a zone with an odd offset would shift the minutes.
                    Instant minute = rows.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC);
                    counts.computeIfAbsent(minute, m -> new EnumMap<>(DecisionOutcome.class))
                            .put(DecisionOutcome.valueOf(rows.getString(2)), rows.getLong(3));
                }
            }
            return counts;
        });
    }

    private long count(SqlQuery sql) {
        return jdbc.prepareStatement(sql.sql(), statement -> {
            sql.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }
}
