package io.jitbroker.revocation.topology;

import io.jitbroker.revocation.metrics.RevocationMetrics;
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
 * Workload side: takes in revocation requests (keyed by workload id) from SREs (MANUAL) and
 * policy-service (POLICY_CHANGED): the named grant, every unexpired grant of the named task, or
 * every unexpired grant of the workload gets a revoke command with the request's reason. A request
 * only ever reaches its own workload's grants: a grant id of another workload revokes nothing. The
 * request is remembered (idempotent by event id), so a grant it covers that arrives after it is
 * revoked too.
 */
final class RevocationRequestProcessor implements Processor<String, RevocationRequest, String, RevocationRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationRequestProcessor.class);

    private final RevocationMetrics metrics;
    private final RevocationTopology.Settings settings;
    private ProcessorContext<String, RevocationRequest> context;
    private WorkloadSideState state;
    private RevokeCommandSender commands;

    RevocationRequestProcessor(RevocationMetrics metrics, RevocationTopology.Settings settings) {
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
    public void process(Record<String, RevocationRequest> record) {
        RevocationRequest request = record.value();
        if (state.revocationRequest(request.getWorkloadId(), request.getEventId()).isPresent()) {
            LOG.info("Ignoring revocation request {} of workload {} by {}: already processed", request.getEventId(),
                    request.getWorkloadId(), request.getRequestedBy());
            return;
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        state.recordRevocationRequest(request, now);
        // A named grant is sent even if it expired or was revoked: the task side knows, and says so.
        List<GrantIssued> grants = switch (request.getScope()) {
            case GRANT -> state.grant(request.getWorkloadId(), request.getGrantId()).stream().toList();
            case TASK -> state.unexpiredGrantsOf(request.getWorkloadId(), now).stream()
                    .filter(grant -> grant.getTaskId().equals(request.getTaskId()))
                    .toList();
            case WORKLOAD -> state.unexpiredGrantsOf(request.getWorkloadId(), now);
        };
        if (grants.isEmpty()) {
            metrics.unknownTarget(Topics.REVOCATION_REQUESTS.name());
            LOG.warn("Revocation request {} ({} scope {}, grant {}, task {}) of workload {} by {} matches no grant of "
                            + "that workload; remembering it for {}", request.getEventId(), request.getReason(),
                    request.getScope(), request.getGrantId(), request.getTaskId(), request.getWorkloadId(),
                    request.getRequestedBy(), settings.retention());
            return;
        }
        LOG.info("Revocation request {} ({} scope {}) of workload {} by {}: revoking {} grants", request.getEventId(),
                request.getReason(), request.getScope(), request.getWorkloadId(), request.getRequestedBy(), grants.size());
        for (GrantIssued grant : grants) {
            commands.send(RevokeCommands.forRequest(grant, request, false), record.timestamp());
        }
    }
}
