package io.jitbroker.revocation.domain;

import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.TaskEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Builds the revocation of a grant, with its reason, a human-readable detail and its cause. */
public final class Revocations {

    private Revocations() {
    }

    /**
     * The grant's task reported an end (completed, failed, cancelled).
     *
     * @param endedBeforeGrant whether the end arrived before the grant did (the two topics race)
     */
    public static Revocation forTaskEnd(GrantIssued grant, TaskEvent end, RevocationReason reason,
                                        boolean endedBeforeGrant, Instant revokedAt) {
        String detail = "task " + end.getTaskId() + " reported " + end.getType()
                + (endedBeforeGrant ? " before grant " + grant.getGrantId() + " arrived" : "");
        return base(grant, reason, detail, revokedAt).setCauseEventId(end.getEventId()).build();
    }

    /** The grant's time to live ran out. */
    public static Revocation forExpiry(GrantIssued grant, Instant revokedAt) {
        String detail = "grant " + grant.getGrantId() + " expired at " + grant.getExpiresAt();
        return base(grant, RevocationReason.TTL_EXPIRED, detail, revokedAt).setCauseEventId(null).build();
    }

    /**
     * The grant's task reported no STARTED or HEARTBEAT within the grant's heartbeat interval
     * plus the grace. No event caused it, an absence did.
     *
     * @param lastBeat the task's last heartbeat after the grant was issued, if any
     */
    public static Revocation forMissedHeartbeat(GrantIssued grant, Duration grace, Optional<Instant> lastBeat,
                                                Instant revokedAt) {
        Duration interval = Duration.ofSeconds(grant.getHeartbeatIntervalSeconds());
        String since = lastBeat.filter(beat -> beat.isAfter(grant.getIssuedAt()))
                .map(beat -> "last heartbeat at " + beat)
                .orElse("no heartbeat since the grant was issued at " + grant.getIssuedAt());
        String detail = "task " + grant.getTaskId() + " sent no STARTED or HEARTBEAT within the heartbeat interval of "
                + Heartbeats.describe(interval) + " (plus " + Heartbeats.describe(grace) + " grace); " + since;
        return base(grant, RevocationReason.HEARTBEAT_MISSED, detail, revokedAt).setCauseEventId(null).build();
    }

    /**
     * Something changed about the grant's workload.
     *
     * @param changedBeforeGrant whether the change arrived before the grant did (the topics race)
     */
    public static Revocation forContextChange(GrantIssued grant, ContextEvent change, boolean changedBeforeGrant,
                                              Instant revokedAt) {
        String scope = change.getEnvironment() == null
                ? "all environments" : "environment " + change.getEnvironment();
        String detail = "context event " + change.getType() + " for workload " + change.getWorkloadId()
                + " (" + scope + ") from " + change.getSource() + ": " + change.getReason()
                + (changedBeforeGrant ? "; it arrived before grant " + grant.getGrantId() : "");
        return base(grant, RevocationReason.CONTEXT_CHANGED, detail, revokedAt)
                .setCauseEventId(change.getEventId()).build();
    }

    /**
     * An SRE (MANUAL) or policy-service (POLICY_CHANGED) asked for it; the reason is the request's.
     *
     * @param requestedBeforeGrant whether the request arrived before the grant did (the topics race)
     */
    public static Revocation forRequest(GrantIssued grant, RevocationRequest request, boolean requestedBeforeGrant,
                                        Instant revokedAt) {
        String detail = request.getReason() + " revocation (scope " + request.getScope() + ") requested by "
                + request.getRequestedBy() + ": " + request.getDetail()
                + (requestedBeforeGrant ? "; it arrived before grant " + grant.getGrantId() : "");
        return base(grant, request.getReason(), detail, revokedAt).setCauseEventId(request.getEventId()).build();
    }

    private static Revocation.Builder base(GrantIssued grant, RevocationReason reason, String detail, Instant revokedAt) {
        return Revocation.newBuilder()
                .setGrantId(grant.getGrantId())
                .setRequestId(grant.getRequestId())
                .setWorkloadId(grant.getWorkloadId())
                .setTaskId(grant.getTaskId())
                .setEnvironment(grant.getEnvironment())
                .setCredentialId(grant.getCredentialId())
                .setReason(reason)
                .setDetail(detail)
                .setExpiresAt(grant.getExpiresAt())
                .setRevokedAt(revokedAt);
    }
}
