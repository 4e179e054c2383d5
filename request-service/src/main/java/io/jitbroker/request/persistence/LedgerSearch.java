package io.jitbroker.request.persistence;

import io.jitbroker.request.domain.LedgerEntry;
import io.jitbroker.request.domain.LedgerQuery;
import io.jitbroker.request.domain.Page;
import io.jitbroker.request.domain.PageCursor;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;
import java.util.List;

/** Audit queries over the ledger (GET /v1/ledger), one page at a time. */
@Singleton
public class LedgerSearch {

    private final JdbcOperations jdbc;

    public LedgerSearch(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public Page<LedgerEntry> search(LedgerQuery query) {
        SqlQuery sql = LedgerQuerySql.of(query);
        List<LedgerEntry> fetched = jdbc.prepareStatement(sql.sql(), statement -> {
            sql.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                return jdbc.entityStream(rows, LedgerRow.class).map(LedgerRow::toDomain).toList();
            }
        });
        return Page.of(fetched, query.page().limit(), entry -> new PageCursor(entry.requestedAt(), entry.requestId()));
    }
}
