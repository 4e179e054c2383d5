package io.jitbroker.revocation.topology;

import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.revocation.domain.Revocations;
import io.jitbroker.schemas.Topics;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes in context events (keyed by workload id): the workload was compromised, its identity
 * disabled, its environment changed or its risk raised. Every active grant of the workload is
 * revoked, or only those in the event's environment when it names one. The event is remembered
 * (idempotent by event id), so a grant issued before the change that arrives after it is revoked
 * on arrival.
 */
final class ContextEventProcessor implements Processor<String, ContextEvent, String, Revocation> {

    private static final Logger LOG = LoggerFactory.getLogger(ContextEventProcessor.class);

    private final RevocationMetrics metrics;
    private final RevocationTopology.Settings settings;
    private ProcessorContext<String, Revocation> context;
    private RevocationState state;
    private Revoker revoker;

    ContextEventProcessor(RevocationMetrics metrics, RevocationTopology.Settings settings) {
        this.metrics = metrics;
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Revocation> context) {
        this.context = context;
        this.state = new RevocationState(context, settings, metrics);
        this.revoker = new Revoker(context, state, metrics);
    }

    @Override
    public void process(Record<String, ContextEvent> record) {
        ContextEvent change = record.value();
        if (state.contextChange(change.getWorkloadId(), change.getEventId()).isPresent()) {
            LOG.info("Ignoring context event {} ({}) of workload {}: already processed", change.getEventId(),
                    change.getType(), change.getWorkloadId());
            return;
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        state.recordContextChange(change, now);
        List<GrantIssued> grants = state.activeGrantsOfWorkload(change.getWorkloadId()).stream()
                .filter(grant -> change.getEnvironment() == null || change.getEnvironment().equals(grant.getEnvironment()))
                .toList();
        if (grants.isEmpty()) {
            metrics.unknownTarget(Topics.CONTEXT_EVENTS.name());
            LOG.warn("Context event {} ({}) of workload {} (environment {}) from {} matches no active grant; "
                            + "remembering it for {} in case a grant issued before it arrives later",
                    change.getEventId(), change.getType(), change.getWorkloadId(),
                    change.getEnvironment() == null ? "all" : change.getEnvironment(), change.getSource(),
                    settings.retention());
            return;
        }
        for (GrantIssued grant : grants) {
            revoker.revoke(grant, Revocations.forContextChange(grant, change, false, now));
        }
    }
}
