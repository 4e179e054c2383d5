package io.jitbroker.request.persistence;

/** Another request of the same workload already holds this Idempotency-Key (it committed first). */
public final class IdempotencyKeyTakenException extends RuntimeException {

    public IdempotencyKeyTakenException(String workloadId, String idempotencyKey, Throwable cause) {
        super("workload " + workloadId + " already used Idempotency-Key " + idempotencyKey, cause);
    }
}
