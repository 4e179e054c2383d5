package io.jitbroker.request.persistence;

import io.jitbroker.request.domain.LedgerQuery;
import io.jitbroker.request.domain.PageCursor;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link LedgerQuery} into SQL: one condition per filter given, newest first with the
 * request id breaking ties (the order every ledger index of V4 ends with), and one row more than the
 * page so that the caller knows whether another page follows. Conditions are written the way the
 * partial indexes of V4 are, so that PostgreSQL can use them.
 */
public final class LedgerQuerySql {

    static final String ORDER = " ORDER BY requested_at DESC, request_id DESC";

    private LedgerQuerySql() {
    }

    public static SqlQuery of(LedgerQuery query) {
        List<String> conditions = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        if (query.workloadId() != null) {
            conditions.add("workload_id = ?");
            parameters.add(query.workloadId());
        }
        if (query.taskId() != null) {
            conditions.add("task_id = ?");
            parameters.add(query.taskId());
        }
        if (query.environment() != null) {
            conditions.add("environment = ?");
            parameters.add(query.environment());
        }
        if (query.status() != null) {
            conditions.add("status = ?");
            parameters.add(query.status().name());
        }
        if (query.reason() != null) {
            conditions.add("(deny_code = ? OR revocation_reason = ?)");
            parameters.add(query.reason());
            parameters.add(query.reason());
        }
        if (query.breakGlass() != null) {
            // decision_break_glass is null until decided: "OR NULL" is not true, so the first form needs no COALESCE.
            conditions.add(query.breakGlass()
                    ? "(break_glass OR decision_break_glass)"
                    : "NOT (break_glass OR COALESCE(decision_break_glass, FALSE))");
        }
        if (query.activeAt() != null) {
            conditions.add("status = 'ISSUED' AND expires_at > ?");
            parameters.add(query.activeAt());
        }
        if (query.from() != null) {
            conditions.add("requested_at >= ?");
            parameters.add(query.from());
        }
        if (query.to() != null) {
            conditions.add("requested_at < ?");
            parameters.add(query.to());
        }
        PageCursor after = query.page().after();
        if (after != null) {
            conditions.add("(requested_at, request_id) < (?, ?)");
            parameters.add(after.position());
            parameters.add(after.id());
        }
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        parameters.add(query.page().limit() + 1);
        return new SqlQuery("SELECT * FROM access_request" + where + ORDER + " LIMIT ?", parameters);
    }
}
