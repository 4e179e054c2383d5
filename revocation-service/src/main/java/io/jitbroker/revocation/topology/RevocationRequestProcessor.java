package io.jitbroker.revocation.topology;

import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.revocation.domain.Revocations;
import io.jitbroker.schemas.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes in revocation requests (keyed by workload id) from SREs (MANUAL) and policy-service
 * (POLICY_CHANGED): revokes the named grant, every active grant of the named task, or every
 * active grant of the workload, with the request's reason. A request only ever reaches its own
 * workload's grants: a grant id of another workload revokes nothing. The request is remembered
 * (idempotent by event id), so a grant it covers that arrives after it is revoked on arrival.
 */
final class RevocationRequestProcessor implements Processor<String, RevocationRequest, String, Revocation> {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationRequestProcessor.class);

    private final RevocationMetrics metrics;
    private final RevocationTopology.Settings settings;
    private ProcessorContext<String, Revocation> context;
    private RevocationState state;
    private Revoker revoker;

    RevocationRequestProcessor(RevocationMetrics metrics, RevocationTopology.Settings settings) {
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
    public void process(Record<String, RevocationRequest> record) {
        RevocationRequest request = record.value();
        if (state.revocationRequest(request.getWorkloadId(), request.getEventId()).isPresent()) {
            LOG.info("Ignoring revocation request {} of workload {} by {}: already processed", request.getEventId(),
                    request.getWorkloadId(), request.getRequestedBy());
            return;
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        state.recordRevocationRequest(request, now);
        List<GrantIssued> grants = switch (request.getScope()) {
            case GRANT -> namedGrant(request);
            case TASK -> state.activeGrantsOfTask(request.getWorkloadId(), request.getTaskId());
            case WORKLOAD -> state.activeGrantsOfWorkload(request.getWorkloadId());
        };
        if (grants.isEmpty()) {
            if (!namesAnAlreadyRevokedGrant(request)) {
                metrics.unknownTarget(Topics.REVOCATION_REQUESTS.name());
                LOG.warn("Revocation request {} ({} scope {}, grant {}, task {}) of workload {} by {} matches no active "
                                + "grant of that workload; remembering it for {} in case such a grant arrives later",
                        request.getEventId(), request.getReason(), request.getScope(), request.getGrantId(),
                        request.getTaskId(), request.getWorkloadId(), request.getRequestedBy(), settings.retention());
            }
            return;
        }
        for (GrantIssued grant : grants) {
            revoker.revoke(grant, Revocations.forRequest(grant, request, false, now));
        }
    }

    private List<GrantIssued> namedGrant(RevocationRequest request) {
        Optional<GrantIssued> grant = state.activeGrant(request.getGrantId());
        if (grant.isPresent() && !grant.get().getWorkloadId().equals(request.getWorkloadId())) {
            LOG.warn("Revocation request {} of workload {} by {} names grant {} of workload {}: not revoking another "
                            + "workload's grant", request.getEventId(), request.getWorkloadId(), request.getRequestedBy(),
                    request.getGrantId(), grant.get().getWorkloadId());
            return List.of();
        }
        return grant.stream().toList();
    }

    /** A GRANT request for a grant of this workload that is already revoked: it lost a race to another reason. */
    private boolean namesAnAlreadyRevokedGrant(RevocationRequest request) {
        if (request.getGrantId() == null) {
            return false;
        }
        Optional<Revocation> revoked = state.revocationOf(request.getGrantId())
                .filter(revocation -> revocation.getWorkloadId().equals(request.getWorkloadId()));
        revoked.ifPresent(revocation -> LOG.info("Revocation request {} by {} names grant {} of workload {}: already "
                        + "revoked at {} ({})", request.getEventId(), request.getRequestedBy(), request.getGrantId(),
                request.getWorkloadId(), revocation.getRevokedAt(), revocation.getReason()));
        return revoked.isPresent();
    }
}
