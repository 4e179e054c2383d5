package io.jitbroker.request.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jitbroker.request.domain.LedgerQuery;
import io.jitbroker.request.domain.LedgerStatus;
import io.jitbroker.request.domain.PageCursor;
import io.jitbroker.request.domain.PageRequest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerQuerySqlTest {

    private static final Instant T1 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-11-23T11:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void shouldSelectNewestFirstAndOneRowMoreThanThePageWhenNothingIsFiltered() {
        // when
        SqlQuery sql = LedgerQuerySql.of(query(null, null, null, null, null, null, null, null, null, 50, null));

        // then
        assertEquals("SELECT * FROM access_request ORDER BY requested_at DESC, request_id DESC LIMIT ?", sql.sql());
        assertEquals(List.of(51), sql.parameters());
    }

    @Test
    void shouldAddOneConditionPerFilterWithTheValuesAsParameters() {
        // given
        PageCursor after = new PageCursor(T2, "req-9");

        // when
        SqlQuery sql = LedgerQuerySql.of(query("spiffe://dev.local/ci/deployer", "deploy-42", "prod", LedgerStatus.ISSUED,
                "MANUAL", true, NOW, T1, T2, 10, after));

        // then
        assertEquals("SELECT * FROM access_request WHERE workload_id = ? AND task_id = ? AND environment = ?"
                + " AND status = ? AND (deny_code = ? OR revocation_reason = ?) AND (break_glass OR decision_break_glass)"
                + " AND status = 'ISSUED' AND expires_at > ? AND requested_at >= ? AND requested_at < ?"
                + " AND (requested_at, request_id) < (?, ?) ORDER BY requested_at DESC, request_id DESC LIMIT ?", sql.sql());
        assertEquals(List.of("spiffe://dev.local/ci/deployer", "deploy-42", "prod", "ISSUED", "MANUAL", "MANUAL", NOW, T1, T2,
                T2, "req-9", 11), sql.parameters());
    }

    @Test
    void shouldCountUndecidedRequestsAsNotBreakGlassWhenAskingForTheOthers() {
        // when
        SqlQuery sql = LedgerQuerySql.of(query(null, null, null, null, null, false, null, null, null, 50, null));

        // then
        assertEquals("SELECT * FROM access_request WHERE NOT (break_glass OR COALESCE(decision_break_glass, FALSE))"
                + " ORDER BY requested_at DESC, request_id DESC LIMIT ?", sql.sql());
    }

    @Test
    void shouldNeverWriteAValueIntoTheSql() {
        // given a value that would be an injection if it were
        String hostile = "x' OR '1'='1";

        // when
        SqlQuery sql = LedgerQuerySql.of(query(null, hostile, hostile, null, hostile, null, null, null, null, 5,
                new PageCursor(T1, hostile)));

        // then
        assertEquals(false, sql.sql().contains(hostile));
        assertEquals(List.of(hostile, hostile, hostile, hostile, T1, hostile, 6), sql.parameters());
    }

    private static LedgerQuery query(String workloadId, String taskId, String environment, LedgerStatus status, String reason,
                                     Boolean breakGlass, Instant activeAt, Instant from, Instant to, int limit,
                                     PageCursor after) {
        return new LedgerQuery(workloadId, taskId, environment, status, reason, breakGlass, activeAt, from, to,
                new PageRequest(limit, after));
    }
}
