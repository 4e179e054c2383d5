package io.jitbroker.request.persistence;

import io.jitbroker.kafka.KafkaTracing;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.opentelemetry.context.Context;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Events waiting to be published, written in the transaction of the change they announce (the
 * transactional outbox). The relay takes them oldest first and deletes them in the transaction that
 * waited for the broker's acknowledgement, so an event is published at least once, in order, and
 * never lost; consumers are idempotent by the event's id.
 */
@Singleton
public class Outbox {

    private final JdbcOperations jdbc;
    private final KafkaTracing tracing;

    public Outbox(JdbcOperations jdbc, KafkaTracing tracing) {
        this.jdbc = jdbc;
        this.tracing = tracing;
    }

    /**
     * One event, serialized as it goes on the wire, with the W3C trace context ({@code traceparent},
     * {@code tracestate} header values; null when not traced) of the request that wrote it.
     */
    public record OutboxRecord(long id, String topic, String key, byte[] payload, String traceParent, String traceState) {
    }

    /** Adds an event to the caller's transaction, with the caller's trace context. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(String topic, String key, byte[] payload) {
        Map<String, String> trace = tracing.serialize(Context.current());
        jdbc.prepareStatement("INSERT INTO outbox (topic, record_key, payload, trace_parent, trace_state) VALUES (?, ?, ?, ?, ?)",
                statement -> {
                    statement.setString(1, topic);
                    statement.setString(2, key);
                    statement.setBytes(3, payload);
                    statement.setString(4, trace.get("traceparent"));
                    statement.setString(5, trace.get("tracestate"));
                    return statement.executeUpdate();
                });
    }

    /**
     * Takes up to {@code limit} of the oldest events and hands them to {@code publish}, which returns
     * once the broker has acknowledged them all; they are deleted when it returns, and stay (for the
     * next try) when it throws. Rows another instance's relay holds are skipped.
     *
     * @return how many were published
     */
    @Transactional
    public int publishOldest(int limit, Consumer<List<OutboxRecord>> publish) {
        List<OutboxRecord> records = jdbc.prepareStatement(
                "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED) "
                        + "RETURNING id, topic, record_key, payload, trace_parent, trace_state", statement -> {
                    statement.setInt(1, limit);
                    List<OutboxRecord> taken = new ArrayList<>();
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            taken.add(new OutboxRecord(rows.getLong(1), rows.getString(2), rows.getString(3),
                                    rows.getBytes(4), rows.getString(5), rows.getString(6)));
                        }
                    }
                    return taken;
                });
        if (!records.isEmpty()) {
            records.sort((a, b) -> Long.compare(a.id(), b.id()));
            publish.accept(records);
        }
        return records.size();
    }
}
