package io.jitbroker.revocation.topology;

import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationReason;
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
 * Takes in issued grants (keyed by task id) and watches them; on a wall-clock schedule, revokes the
 * grants whose TTL has passed and forgets what is past its retention.
 */
final class GrantIntakeProcessor implements Processor<String, GrantIssued, String, Revocation> {

    private static final Logger LOG = LoggerFactory.getLogger(GrantIntakeProcessor.class);

    private final RevocationMetrics metrics;
    private final RevocationTopology.Settings settings;
    private ProcessorContext<String, Revocation> context;
    private RevocationState state;
    private Revoker revoker;

    GrantIntakeProcessor(RevocationMetrics metrics, RevocationTopology.Settings settings) {
        this.metrics = metrics;
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Revocation> context) {
        this.context = context;
        this.state = RevocationState.of(context, settings.retention());
        this.revoker = new Revoker(context, state, metrics);
        // Wall-clock time: a grant must expire on time even when no record arrives.
        context.schedule(settings.expirySweepInterval(), PunctuationType.WALL_CLOCK_TIME, this::revokeExpired);
        context.schedule(settings.retentionSweepInterval(), PunctuationType.WALL_CLOCK_TIME, this::forgetPastRetention);
    }

    @Override
    public void process(Record<String, GrantIssued> record) {
        GrantIssued grant = record.value();
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        Optional<Revocation> revoked = state.revocationOf(grant.getGrantId());
        if (revoked.isPresent()) {
            LOG.info("Ignoring grant {} of task {}: already revoked at {} ({})", grant.getGrantId(), grant.getTaskId(),
                    revoked.get().getRevokedAt(), revoked.get().getReason());
            return;
        }
        if (state.activeGrant(grant.getGrantId()).isPresent()) {
            LOG.info("Ignoring grant {} of task {}: already active (duplicate)", grant.getGrantId(), grant.getTaskId());
            return;
        }
        if (state.isStale(grant, now)) {
            LOG.warn("Ignoring grant {} of task {}: it expired at {}, longer ago than the retention of {}",
                    grant.getGrantId(), grant.getTaskId(), grant.getExpiresAt(), settings.retention());
            return;
        }
        Optional<TaskEvent> end = state.endOf(grant.getTaskId());
        if (end.isPresent()) {
            // The task's end won the race between the two topics: revoke the grant as it appears.
            RevocationReason reason = TaskOutcomes.revocationReasonFor(end.get().getType()).orElseThrow();
            revoker.revoke(grant, Revocations.forTaskEnd(grant, end.get(), reason, true, now));
            return;
        }
        state.track(grant);
        LOG.info("Watching grant {} (request {}, workload {}) of task {} until {}", grant.getGrantId(),
                grant.getRequestId(), grant.getWorkloadId(), grant.getTaskId(), grant.getExpiresAt());
    }

    private void revokeExpired(long wallClockMillis) {
        Instant now = Instant.ofEpochMilli(wallClockMillis);
        for (String grantId : state.dueForExpiry(now, settings.maxEntriesPerSweep())) {
            state.activeGrant(grantId).ifPresent(grant -> revoker.revoke(grant, Revocations.forExpiry(grant, now)));
        }
    }

    private void forgetPastRetention(long wallClockMillis) {
        int forgotten = state.forgetPastRetention(Instant.ofEpochMilli(wallClockMillis), settings.maxEntriesPerSweep());
        if (forgotten > 0) {
            LOG.debug("Forgot {} revoked grants and ended tasks past their retention", forgotten);
        }
    }
}
