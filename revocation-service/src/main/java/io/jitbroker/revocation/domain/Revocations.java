package io.jitbroker.revocation.domain;

import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.TaskEvent;
import java.time.Instant;

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
