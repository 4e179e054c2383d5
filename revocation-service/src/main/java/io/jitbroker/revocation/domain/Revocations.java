package io.jitbroker.revocation.domain;

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
     * A revoke command of the workload side (a context change, a revocation request) reached the
     * grant: its reason, detail and cause are the command's, worded by {@link RevokeCommands}.
     */
    public static Revocation forCommand(GrantIssued grant, RevocationRequest command, Instant revokedAt) {
        return base(grant, command.getReason(), command.getDetail(), revokedAt)
                .setCauseEventId(command.getEventId()).build();
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
