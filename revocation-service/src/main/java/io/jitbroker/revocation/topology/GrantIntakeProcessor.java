package io.jitbroker.revocation.topology;

import io.jitbroker.micronaut.logging.LogContext;
import io.jitbroker.revocation.metrics.RevocationMetrics;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.revocation.domain.Revocations;
import io.jitbroker.revocation.domain.TaskOutcomes;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task side: takes in issued grants (keyed by task id) and watches them; on a wall-clock schedule,
 * revokes the grants whose TTL or heartbeat deadline has passed and forgets what is past its
 * retention. A grant whose task already ended, or that a revoke command already named (a context
 * change or a revocation request of its workload), is revoked as it arrives.
 */
final class GrantIntakeProcessor implements Processor<String, GrantIssued, String, Revocation> {

    private static final Logger LOG = LoggerFactory.getLogger(GrantIntakeProcessor.class);

    private final RevocationMetrics metrics;
    private final RevocationTopology.Settings settings;
    private ProcessorContext<String, Revocation> context;
    private TaskSideState state;
    private Revoker revoker;

    GrantIntakeProcessor(RevocationMetrics metrics, RevocationTopology.Settings settings) {
        this.metrics = metrics;
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Revocation> context) {
        this.context = context;
        this.state = new TaskSideState(context, settings, metrics);
        this.revoker = new Revoker(context, state, metrics);
        state.recountActiveGrants();
        // Wall-clock time: a grant must expire, or miss its heartbeat, on time even when no record arrives.
        context.schedule(settings.expirySweepInterval(), PunctuationType.WALL_CLOCK_TIME, this::revokeDue);
        context.schedule(settings.retentionSweepInterval(), PunctuationType.WALL_CLOCK_TIME, this::forgetPastRetention);
    }

    @Override
    public void process(Record<String, GrantIssued> record) {
        GrantIssued grant = record.value();
        try (LogContext ids = LogContext.of(LogContext.GRANT_ID, grant.getGrantId(), LogContext.REQUEST_ID,
                grant.getRequestId(), LogContext.TASK_ID, grant.getTaskId(), LogContext.WORKLOAD_ID, grant.getWorkloadId())) {
            handle(grant);
        }
    }

    private void handle(GrantIssued grant) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        Optional<Revocation> revoked = state.revocationOf(grant.getGrantId());
        if (revoked.isPresent()) {
            LOG.debug("Ignoring grant {} of task {}: already revoked at {} ({})", grant.getGrantId(), grant.getTaskId(),
                    revoked.get().getRevokedAt(), revoked.get().getReason());
            return;
        }
        if (state.activeGrant(grant.getGrantId()).isPresent()) {
            LOG.debug("Ignoring grant {} of task {}: already active (duplicate)", grant.getGrantId(), grant.getTaskId());
            return;
        }
        if (state.isStale(grant, now)) {
            LOG.warn("Ignoring grant {} of task {} (workload {}): it expired at {}, longer ago than the retention of {}",
                    grant.getGrantId(), grant.getTaskId(), grant.getWorkloadId(), grant.getExpiresAt(), settings.retention());
            return;
        }
        Optional<TaskEvent> end = state.endOf(grant.getWorkloadId(), grant.getTaskId());
        if (end.isPresent()) {
            // The task's end won the race between the topics: revoke the grant as it appears.
            RevocationReason reason = TaskOutcomes.revocationReasonFor(end.get().getType()).orElseThrow();
            revoker.revoke(grant, Revocations.forTaskEnd(grant, end.get(), reason, true, now));
            return;
        }
        Optional<RevocationRequest> command = state.earlyCommandFor(grant.getGrantId())
                .filter(early -> early.getWorkloadId().equals(grant.getWorkloadId()));
        if (command.isPresent()) {
            // A context change or a request of its workload reached this side before the grant did.
            revoker.revoke(grant, Revocations.forCommand(grant, command.get(), now));
            return;
        }
        state.track(grant);
        LOG.debug("Watching grant {} (workload {}) of task {} until {}{}", grant.getGrantId(), grant.getWorkloadId(),
                grant.getTaskId(), grant.getExpiresAt(), TaskSideState.requiresHeartbeats(grant)
                        ? ", heartbeat due by " + state.heartbeatDeadlineOf(grant) : "");
    }

    private void revokeDue(long wallClockMillis) {
        Instant now = Instant.ofEpochMilli(wallClockMillis);
        int expired = 0;
        int missedHeartbeat = 0;
        for (TaskSideState.Deadline due : state.dueDeadlines(now, settings.maxEntriesPerSweep())) {
            Optional<GrantIssued> active = state.activeGrant(due.grantId());
            if (active.isEmpty()) {
                state.dropDeadline(due); // revoked already: nothing is due
                continue;
            }
            GrantIssued grant = active.get();
            switch (due.kind()) {
                case EXPIRY -> {
                    revoker.revokeDue(grant, Revocations.forExpiry(grant, now), grant.getExpiresAt());
                    expired++;
                }
                case HEARTBEAT -> missedHeartbeat += revokeIfHeartbeatMissed(grant, due, now) ? 1 : 0;
            }
        }
        if (expired + missedHeartbeat > 0) {
            LOG.info("Revoked {} grants past their TTL and {} that missed their heartbeat (task {})", expired,
                    missedHeartbeat, context.taskId());
        }
    }

    /**
     * The index entry is checked against the deadline computed now: an entry left at an older
     * deadline (e.g. the grace was changed between runs) is moved, never acted on. Returns whether
     * it revoked.
     */
    private boolean revokeIfHeartbeatMissed(GrantIssued grant, TaskSideState.Deadline due, Instant now) {
        Instant deadline = state.heartbeatDeadlineOf(grant);
        if (deadline.isAfter(now)) {
            state.dropDeadline(due);
            state.reindexHeartbeat(grant);
            return false;
        }
        state.dropDeadline(due);
        Optional<Instant> lastBeat = state.lastHeartbeat(grant.getWorkloadId(), grant.getTaskId());
        revoker.revokeDue(grant, Revocations.forMissedHeartbeat(grant, state.heartbeatGrace(), lastBeat, now), deadline);
        return true;
    }

    private void forgetPastRetention(long wallClockMillis) {
        int forgotten = state.forgetPastRetention(Instant.ofEpochMilli(wallClockMillis), settings.maxEntriesPerSweep());
        if (forgotten > 0) {
            LOG.debug("Forgot {} revoked grants, ended tasks, heartbeats and early revoke commands past their retention",
                    forgotten);
        }
    }

    @Override
    public void close() {
        if (context != null) {
            metrics.forgetActiveGrantsOf(context.taskId().toString());
        }
    }
}
