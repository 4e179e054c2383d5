package io.jitbroker.revocation.topology;

import io.jitbroker.revocation.metrics.RevocationMetrics;
import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.ContextEventType;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.revocation.domain.RevokeCommands;
import io.jitbroker.contracts.Topics;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workload side: takes in context events (keyed by workload id): the workload was compromised,
 * its identity disabled, its environment changed or its risk raised. Every unexpired grant of the
 * workload gets a revoke command (CONTEXT_CHANGED), or only those in the event's environment when
 * it names one. The event is remembered (idempotent by event id), so a grant issued before the
 * change that arrives after it is revoked too.
 */
final class ContextEventProcessor implements Processor<String, ContextEvent, String, RevocationRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(ContextEventProcessor.class);

    private final RevocationMetrics metrics;
    private final RevocationTopology.Settings settings;
    private ProcessorContext<String, RevocationRequest> context;
    private WorkloadSideState state;
    private RevokeCommandSender commands;

    ContextEventProcessor(RevocationMetrics metrics, RevocationTopology.Settings settings) {
        this.metrics = metrics;
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, RevocationRequest> context) {
        this.context = context;
        this.state = new WorkloadSideState(context, settings);
        this.commands = new RevokeCommandSender(context);
    }

    @Override
    public void process(Record<String, ContextEvent> record) {
        ContextEvent change = record.value();
        if (change.getType() == ContextEventType.WORKLOAD_CLEARED) {
            // A clearance lifts a compromise for policy's future decisions; it revokes nothing.
            LOG.info("Context event {} ({}) of workload {} from {}: nothing to revoke", change.getEventId(),
                    change.getType(), change.getWorkloadId(), change.getSource());
            return;
        }
        if (state.contextChange(change.getWorkloadId(), change.getEventId()).isPresent()) {
            LOG.info("Ignoring context event {} ({}) of workload {}: already processed", change.getEventId(),
                    change.getType(), change.getWorkloadId());
            return;
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        state.recordContextChange(change, now);
        String environment = change.getEnvironment() == null ? "all environments" : change.getEnvironment();
        List<GrantIssued> grants = state.unexpiredGrantsOf(change.getWorkloadId(), now).stream()
                .filter(grant -> change.getEnvironment() == null || change.getEnvironment().equals(grant.getEnvironment()))
                .toList();
        if (grants.isEmpty()) {
            metrics.unknownTarget(Topics.CONTEXT_EVENTS.name());
            LOG.warn("Context event {} ({}) of workload {} ({}) from {} matches no grant; remembering it for {}",
                    change.getEventId(), change.getType(), change.getWorkloadId(), environment, change.getSource(),
                    settings.retention());
            return;
        }
        LOG.info("Context event {} ({}) of workload {} ({}) from {}: revoking its {} unexpired grants",
                change.getEventId(), change.getType(), change.getWorkloadId(), environment, change.getSource(),
                grants.size());
        for (GrantIssued grant : grants) {
            commands.send(RevokeCommands.forContextChange(grant, change, false), record.timestamp());
        }
    }
}
