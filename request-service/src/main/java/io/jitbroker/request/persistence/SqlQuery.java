package io.jitbroker.request.persistence;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/** SQL with {@code ?} placeholders and their values, in order: values never become SQL text. */
public record SqlQuery(String sql, List<Object> parameters) {

    public SqlQuery {
        Objects.requireNonNull(sql, "sql");
        parameters = List.copyOf(parameters);
    }

    public void bind(PreparedStatement statement) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            Object value = parameters.get(i);
            // The driver maps OffsetDateTime to timestamptz; an Instant it does not know.
            statement.setObject(i + 1, value instanceof Instant instant ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : value);
        }
    }
}
