package io.jitbroker.request.support;

import io.jitbroker.devstack.EmbeddedPostgresServer;
import io.jitbroker.devstack.Infrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads request-service's database directly, as an auditor or an operator with psql would. */
public final class Database {

    private final String url;

    public Database(Infrastructure infra) {
        this.url = infra.postgres().jdbcUrl(RunningService.DATABASE);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, EmbeddedPostgresServer.USER, "");
    }

    /** The first column of every row, as text. */
    public List<String> column(String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    public long count(String sql, Object... parameters) {
        return Long.parseLong(column(sql, parameters).get(0));
    }

    /** Every row of every table of the public schema, each row as one line of text (PostgreSQL's row literal). */
    public List<String> everyRow() {
        List<String> rows = new ArrayList<>();
        for (String table : column("SELECT table_name FROM information_schema.tables "
                + "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name")) {
            for (String row : column("SELECT t::text FROM \"" + table + "\" t")) {
                rows.add(table + ": " + row);
            }
        }
        return rows;
    }
}
