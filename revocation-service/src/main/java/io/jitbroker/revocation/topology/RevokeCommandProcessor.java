package io.jitbroker.revocation.topology;

import io.jitbroker.revocation.metrics.RevocationMetrics;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.revocation.domain.Revocations;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task side: applies a revoke command of the workload side (keyed by task id; one per grant a
 * context change or a revocation request covers) like any other reason. An active grant is
 * revoked with the command's reason, detail and cause; a grant already revoked gets nothing more;
 * a grant that has not arrived yet is revoked on arrival (the command is remembered for the
 * retention).
 */
final class RevokeCommandProcessor implements Processor<String, RevocationRequest, String, Revocation> {

    private static final Logger LOG = LoggerFactory.getLogger(RevokeCommandProcessor.class);

    private final RevocationMetrics metrics;
    private final RevocationTopology.Settings settings;
    private ProcessorContext<String, Revocation> context;
    private TaskSideState state;
    private Revoker revoker;

    RevokeCommandProcessor(RevocationMetrics metrics, RevocationTopology.Settings settings) {
        this.metrics = metrics;
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Revocation> context) {
        this.context = context;
        this.state = new TaskSideState(context, settings, metrics);
        this.revoker = new Revoker(context, state, metrics);
    }

    @Override
    public void process(Record<String, RevocationRequest> record) {
        RevocationRequest command = record.value();
        Optional<Revocation> revoked = state.revocationOf(command.getGrantId());
        if (revoked.isPresent()) {
            LOG.info("Revoke command {} ({}) for grant {}: already revoked at {} ({})", command.getEventId(),
                    command.getReason(), command.getGrantId(), revoked.get().getRevokedAt(), revoked.get().getReason());
            return;
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        Optional<GrantIssued> active = state.activeGrant(command.getGrantId());
        if (active.isEmpty()) {
            if (state.recordEarlyCommand(command, now)) {
                LOG.info("Revoke command {} ({}) for grant {} of task {}: the grant has not arrived; remembering the "
                        + "command for {}", command.getEventId(), command.getReason(), command.getGrantId(),
                        command.getTaskId(), settings.retention());
            }
            return;
        }
        GrantIssued grant = active.get();
        if (!grant.getWorkloadId().equals(command.getWorkloadId())) {
            // Cannot happen through the workload side (it names its own workload's grants); never cross workloads.
            LOG.warn("Revoke command {} of workload {} names grant {} of workload {}: ignored", command.getEventId(),
                    command.getWorkloadId(), grant.getGrantId(), grant.getWorkloadId());
            return;
        }
        revoker.revokeFor(grant, Revocations.forCommand(grant, command, now), command.getRequestedAt());
    }
}
