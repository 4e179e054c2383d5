package io.jitbroker.request.persistence;

import io.jitbroker.request.domain.InconsistentEventException;
import io.jitbroker.request.domain.LedgerEntry;
import io.jitbroker.request.domain.LedgerEvent;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The access ledger: one row per access request, written in transactions. */
@Singleton
public class Ledger {

    private static final String UNIQUE_VIOLATION = "23505";

    private final LedgerRepository repository;
    private final JdbcOperations jdbc;

    public Ledger(LedgerRepository repository, JdbcOperations jdbc) {
        this.repository = repository;
        this.jdbc = jdbc;
    }

    /**
     * Stores a new entry and runs {@code thenInSameTransaction} before committing: if it throws, the
     * row is rolled back with it.
     *
     * @throws IdempotencyKeyTakenException when the workload's Idempotency-Key is already stored
     */
    @Transactional
    public void insert(LedgerEntry entry, Runnable thenInSameTransaction) {
        try {
            repository.save(LedgerRow.fromDomain(entry));
        } catch (DataAccessException e) {
            if (entry.idempotencyKey() != null && isUniqueViolation(e)) {
                throw new IdempotencyKeyTakenException(entry.workloadId(), entry.idempotencyKey(), e);
            }
            throw e;
        }
        thenInSameTransaction.run();
    }

    @Transactional
    public Optional<LedgerEntry> find(String requestId) {
        return repository.findById(requestId).map(LedgerRow::toDomain);
    }

    @Transactional
    public Optional<LedgerEntry> findByIdempotencyKey(String workloadId, String idempotencyKey) {
        return repository.findByWorkloadIdAndIdempotencyKey(workloadId, idempotencyKey).map(LedgerRow::toDomain);
    }

    /** Who may report on a task: its owner, someone else's task, or a task nobody asked access for. */
    @Transactional
    public TaskOwnership taskOwnership(String taskId, String workloadId) {
        if (repository.existsByTaskIdAndWorkloadId(taskId, workloadId)) {
            return TaskOwnership.OWNED;
        }
        return repository.existsByTaskId(taskId) ? TaskOwnership.OTHER_WORKLOAD : TaskOwnership.UNKNOWN;
    }

    /** The workloads (and tasks) the ledger records grant {@code grantId} for: one, or none when unknown. */
    @Transactional
    public List<GrantHolder> grantHolders(String grantId) {
        return repository.findByGrantId(grantId).stream()
                .map(row -> new GrantHolder(row.workloadId(), row.taskId()))
                .distinct()
                .toList();
    }

    /** Every workload that asked access for task {@code taskId}, sorted; empty when none did. */
    @Transactional
    public List<String> workloadsOfTask(String taskId) {
        return repository.findWorkloadsOfTask(taskId);
    }

    /** Every request waiting for an SRE's approval, oldest first. */
    @Transactional
    public List<LedgerEntry> pendingApprovals() {
        return repository.findPendingApprovalsOldestFirst().stream()
                .map(LedgerRow::toDomain)
                .toList();
    }

    /**
     * Records the answer to a request waiting for approval, unless one is recorded already: of two
     * SREs answering at once, exactly one gets true.
     */
    @Transactional
    public boolean recordApprovalAnswer(String requestId, String eventId, String sre, boolean approve, Instant at) {
        return jdbc.prepareStatement("INSERT INTO approval_answer (request_id, event_id, answered_by, approve, answered_at)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (request_id) DO NOTHING", statement -> {
            statement.setString(1, requestId);
            statement.setString(2, eventId);
            statement.setString(3, sre);
            statement.setBoolean(4, approve);
            statement.setObject(5, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            return statement.executeUpdate() == 1;
        });
    }

    /** Takes back an answer that could not be published, so that it can be given again. */
    @Transactional
    public void forgetApprovalAnswer(String requestId, String eventId) {
        jdbc.prepareStatement("DELETE FROM approval_answer WHERE request_id = ? AND event_id = ?", statement -> {
            statement.setString(1, requestId);
            statement.setString(2, eventId);
            return statement.executeUpdate();
        });
    }

    /** Who answered the request's approval first, if anyone did. */
    @Transactional
    public Optional<String> approvalAnsweredBy(String requestId) {
        return jdbc.prepareStatement("SELECT answered_by FROM approval_answer WHERE request_id = ?", statement -> {
            statement.setString(1, requestId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.<String>empty();
            }
        });
    }

    /**
     * Applies events in one transaction, in order, under their rows' locks, and notifies
     * {@link LedgerChanges} of every entry that changed (delivered at the commit). Three statements
     * whatever the number of events: the rows are locked and read at once (in request id order, so
     * that two instances applying overlapping batches cannot deadlock), the events applied in memory,
     * the changed rows written in one batch and announced in one notification statement. An event that
     * contradicts its entry changes nothing and is reported as {@link Update#INCONSISTENT}.
     *
     * @return what each event did, in the order given
     */
    @Transactional
    public List<Outcome> applyAll(List<LedgerEvent> events) {
        List<String> requestIds = events.stream().map(LedgerEvent::requestId).distinct().toList();
        Map<String, LedgerEntry> read = new HashMap<>();
        for (LedgerRow row : repository.findAllByIdForUpdate(requestIds)) {
            read.put(row.requestId(), row.toDomain());
        }
        Map<String, LedgerEntry> current = new LinkedHashMap<>(read);
        List<Outcome> outcomes = new ArrayList<>(events.size());
        for (LedgerEvent event : events) {
            outcomes.add(apply(event, current));
        }
        List<LedgerEntry> changed = current.values().stream()
                .filter(entry -> !entry.equals(read.get(entry.requestId())))
                .toList();
        if (!changed.isEmpty()) {
            repository.updateAll(changed.stream().map(LedgerRow::fromDomain).toList());
            notifyChanged(changed);
        }
        return outcomes;
    }

    private static Outcome apply(LedgerEvent event, Map<String, LedgerEntry> current) {
        LedgerEntry before = current.get(event.requestId());
        if (before == null) {
            return Outcome.UNKNOWN;
        }
        LedgerEntry after;
        try {
            after = before.apply(event);
        } catch (InconsistentEventException e) {
            return new Outcome(Update.INCONSISTENT, e.getMessage());
        }
        if (after.equals(before)) {
            return Outcome.UNCHANGED;
        }
        current.put(event.requestId(), after);
        return Outcome.APPLIED;
    }

    /** Delivered to every instance when this transaction commits (LedgerChanges), never before. */
    private void notifyChanged(List<LedgerEntry> changed) {
        String[] payloads = changed.stream()
                .map(entry -> LedgerChange.payload(entry.requestId(), entry.status()))
                .toArray(String[]::new);
        jdbc.prepareStatement("SELECT pg_notify('" + LedgerChanges.CHANNEL + "', payload) FROM unnest(?) AS payload",
                statement -> {
                    statement.setArray(1, statement.getConnection().createArrayOf("text", payloads));
                    return statement.execute();
                });
    }

    private static boolean isUniqueViolation(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    public enum TaskOwnership { OWNED, OTHER_WORKLOAD, UNKNOWN }

    /** Who holds a grant, as its ledger entry says. */
    public record GrantHolder(String workloadId, String taskId) {
    }

    /** What an event did to the ledger. */
    public enum Update { APPLIED, UNCHANGED, UNKNOWN, INCONSISTENT }

    /** What an event did, and for an inconsistent one why. */
    public record Outcome(Update update, String reason) {
        static final Outcome APPLIED = new Outcome(Update.APPLIED, null);
        static final Outcome UNCHANGED = new Outcome(Update.UNCHANGED, null);
        public static final Outcome UNKNOWN = new Outcome(Update.UNKNOWN, null);
    }
}
