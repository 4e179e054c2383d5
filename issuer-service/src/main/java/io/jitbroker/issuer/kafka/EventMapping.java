package io.jitbroker.issuer.kafka;

import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Resource;
import io.jitbroker.events.v1.RevocationEnforced;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.issuer.domain.ApprovedDecision;
import io.jitbroker.issuer.domain.Enforcement;
import io.jitbroker.issuer.domain.Grant;
import io.jitbroker.issuer.domain.GrantedResource;
import io.jitbroker.issuer.domain.InvalidEventException;
import java.time.Duration;
import java.util.List;

/** Translates between the Avro events and the domain. */
final class EventMapping {

    private EventMapping() {
    }

    /**
     * @throws InvalidEventException if the decision lacks something a grant needs
     */
    static ApprovedDecision approved(AccessDecision decision) {
        List<Resource> granted = decision.getGrantedResources();
        if (granted == null) {
            throw new InvalidEventException("grantedResources must not be empty for an approved decision");
        }
        List<GrantedResource> resources = granted.stream()
                .map(r -> {
                    if (r == null || r.getType() == null || r.getId() == null || r.getActions() == null) {
                        throw new InvalidEventException("grantedResources entries need type, id and actions");
                    }
                    return new GrantedResource(r.getType(), r.getId(), r.getActions());
                })
                .toList();
        Long heartbeatSeconds = decision.getHeartbeatIntervalSeconds();
        return new ApprovedDecision(decision.getRequestId(), decision.getWorkloadId(), decision.getTaskId(),
                decision.getEnvironment(), resources, Duration.ofSeconds(decision.getGrantedTtlSeconds()),
                heartbeatSeconds == null ? null : Duration.ofSeconds(heartbeatSeconds), decision.getDpopJkt());
    }

    /** The announcement of a grant: its ids and scope, never a credential. */
    static GrantIssued grantIssued(Grant grant) {
        return GrantIssued.newBuilder()
                .setGrantId(grant.grantId().toString())
                .setRequestId(grant.requestId())
                .setWorkloadId(grant.workloadId())
                .setTaskId(grant.taskId())
                .setEnvironment(grant.environment())
                .setResources(grant.resources().stream()
                        .map(r -> Resource.newBuilder().setType(r.type()).setId(r.id()).setActions(r.actions()).build())
                        .toList())
                .setCredentialType(grant.credentialType())
                .setCredentialId(grant.credentialName())
                .setIssuedAt(grant.issuedAt())
                .setHeartbeatIntervalSeconds(grant.heartbeatInterval() == null ? null : grant.heartbeatInterval().toSeconds())
                .setExpiresAt(grant.expiresAt())
                .build();
    }

    /** The announcement that a revocation is enforced, exactly as recorded. */
    static RevocationEnforced revocationEnforced(Enforcement enforcement) {
        return RevocationEnforced.newBuilder()
                .setGrantId(enforcement.grantId().toString())
                .setRequestId(enforcement.requestId())
                .setWorkloadId(enforcement.workloadId())
                .setCredentialId(enforcement.credentialId())
                .setReason(RevocationReason.valueOf(enforcement.reason()))
                .setBackend(enforcement.backend())
                .setRevokedAt(enforcement.revokedAt())
                .setEnforcedAt(enforcement.enforcedAt())
                .build();
    }
}
