package io.jitbroker.revocation.topology;

import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.revocation.domain.RevokeCommands;
import io.jitbroker.revocation.domain.Scopes;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workload side: indexes issued grants (keyed by workload id) under their workload, so a context
 * change or a request can find them; on a wall-clock schedule, forgets what is past its retention.
 * A grant that a remembered context change or request covers (it arrived first) gets its revoke
 * command as it arrives: the earliest context change, else the earliest request.
 */
final class WorkloadGrantIntakeProcessor implements Processor<String, GrantIssued, String, RevocationRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(WorkloadGrantIntakeProcessor.class);

    private final RevocationTopology.Settings settings;
    private ProcessorContext<String, RevocationRequest> context;
    private WorkloadSideState state;
    private RevokeCommandSender commands;

    WorkloadGrantIntakeProcessor(RevocationTopology.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, RevocationRequest> context) {
        this.context = context;
        this.state = new WorkloadSideState(context, settings);
        this.commands = new RevokeCommandSender(context);
        context.schedule(settings.retentionSweepInterval(), PunctuationType.WALL_CLOCK_TIME, this::forgetPastRetention);
    }

    @Override
    public void process(Record<String, GrantIssued> record) {
        GrantIssued grant = record.value();
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        if (state.grant(grant.getWorkloadId(), grant.getGrantId()).isPresent()) {
            LOG.debug("Grant {} of workload {} is indexed already (duplicate)", grant.getGrantId(), grant.getWorkloadId());
            return;
        }
        if (state.isStale(grant, now)) {
            LOG.debug("Not indexing grant {} of workload {}: expired at {}, past the retention", grant.getGrantId(),
                    grant.getWorkloadId(), grant.getExpiresAt());
            return;
        }
        state.record(grant);
        Optional<ContextEvent> change = state.contextChangesOf(grant.getWorkloadId()).stream()
                .filter(remembered -> Scopes.covers(remembered, grant))
                .min(Comparator.comparing(ContextEvent::getOccurredAt));
        if (change.isPresent()) {
            // The workload changed after this grant was issued, and the change arrived first.
            commands.send(RevokeCommands.forContextChange(grant, change.get(), true), record.timestamp());
            return;
        }
        Optional<RevocationRequest> request = state.revocationRequestsOf(grant.getWorkloadId()).stream()
                .filter(remembered -> Scopes.covers(remembered, grant))
                .min(Comparator.comparing(RevocationRequest::getRequestedAt));
        // A request named this grant (or its task, or its workload) and arrived first.
        request.ifPresent(first -> commands.send(RevokeCommands.forRequest(grant, first, true), record.timestamp()));
    }

    private void forgetPastRetention(long wallClockMillis) {
        int forgotten = state.forgetPastRetention(Instant.ofEpochMilli(wallClockMillis), settings.maxEntriesPerSweep());
        if (forgotten > 0) {
            LOG.debug("Forgot {} workload grants, context changes and requests past their retention", forgotten);
        }
    }
}
