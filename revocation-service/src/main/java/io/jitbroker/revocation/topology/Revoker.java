package io.jitbroker.revocation.topology;

import io.jitbroker.revocation.metrics.RevocationMetrics;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits a revocation on the task side: records it in the state, forwards it keyed by grant id,
 * counts it and logs one short line for a revocation caused by an event (the detail is in the
 * event, and in the DEBUG log).
 */
final class Revoker {

    private static final Logger LOG = LoggerFactory.getLogger(Revoker.class);

    private final ProcessorContext<String, Revocation> context;
    private final TaskSideState state;
    private final RevocationMetrics metrics;

    Revoker(ProcessorContext<String, Revocation> context, TaskSideState state, RevocationMetrics metrics) {
        this.context = context;
        this.state = state;
        this.metrics = metrics;
    }

    /** Revokes for an event (a task's end, a revoke command). */
    void revoke(GrantIssued grant, Revocation revocation) {
        emit(grant, revocation);
        LOG.info("Revoked grant {} (workload {}, task {}): {}, cause {}", revocation.getGrantId(),
                revocation.getWorkloadId(), revocation.getTaskId(), revocation.getReason(), revocation.getCauseEventId());
    }

    /**
     * Revokes for an event that reached a grant already here, and records the time to revoke: from
     * the event's own time (a task's end, an SRE's or policy's request, a context change) to the
     * revocation.
     */
    void revokeFor(GrantIssued grant, Revocation revocation, Instant eventAt) {
        revoke(grant, revocation);
        metrics.timeToRevoke(revocation.getReason(), Duration.between(eventAt, revocation.getRevokedAt()));
    }

    /**
     * Revokes for a deadline that passed (TTL, heartbeat), and records how late it came. Logged at
     * DEBUG only: a mass expiry would write a line per grant; the sweep logs how many it revoked.
     */
    void revokeDue(GrantIssued grant, Revocation revocation, Instant dueAt) {
        emit(grant, revocation);
        LOG.debug("Revoked grant {} (workload {}, task {}): {}", revocation.getGrantId(), revocation.getWorkloadId(),
                revocation.getTaskId(), revocation.getReason());
        metrics.lateness(revocation.getReason(), Duration.between(dueAt, revocation.getRevokedAt()));
    }

    private void emit(GrantIssued grant, Revocation revocation) {
        state.recordRevocation(grant, revocation);
        context.forward(new Record<>(revocation.getGrantId(), revocation, revocation.getRevokedAt().toEpochMilli()));
        metrics.revoked(revocation.getReason());
        LOG.debug("Revocation of grant {}: {}", revocation.getGrantId(), revocation.getDetail());
    }
}
