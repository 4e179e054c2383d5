package io.jitbroker.request.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface LedgerRepository extends CrudRepository<LedgerRow, String> {

    /**
     * Locks the rows until the transaction ends, so that concurrent events for one request apply in
     * turn; always in request id order, so that two transactions locking overlapping sets cannot deadlock.
     */
    @Query("SELECT * FROM access_request WHERE request_id IN (:requestIds) ORDER BY request_id FOR UPDATE")
    List<LedgerRow> findAllByIdForUpdate(Collection<String> requestIds);

    Optional<LedgerRow> findByWorkloadIdAndIdempotencyKey(String workloadId, String idempotencyKey);

    boolean existsByTaskIdAndWorkloadId(String taskId, String workloadId);

    boolean existsByTaskId(String taskId);

    /** One row per grant in practice; a list so that a grant recorded twice is seen, not hidden. */
    List<LedgerRow> findByGrantId(String grantId);

    /** Oldest first, request ids breaking ties; the literal status lets PostgreSQL use the partial index of V3. */
    @Query("SELECT * FROM access_request WHERE status = 'PENDING_APPROVAL' ORDER BY requested_at, request_id")
    List<LedgerRow> findPendingApprovalsOldestFirst();

    @Query("SELECT DISTINCT workload_id FROM access_request WHERE task_id = :taskId ORDER BY workload_id")
    List<String> findWorkloadsOfTask(String taskId);
}
