package io.jitbroker.issuer.persistence;

import io.jitbroker.issuer.domain.Grant;
import io.jitbroker.issuer.domain.GrantStore;
import io.jitbroker.issuer.domain.GrantedResource;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The grant store on PostgreSQL; each call is one auto-committed statement. */
@Singleton
public class JdbcGrantStore implements GrantStore {

    private static final Argument<List<StoredResource>> RESOURCES = Argument.listOf(StoredResource.class);

    private final GrantRepository repository;
    private final JsonMapper json;

    public JdbcGrantStore(GrantRepository repository, JsonMapper json) {
        this.repository = repository;
        this.json = json;
    }

    @Override
    public boolean insertIfAbsent(Grant grant) {
        return repository.insertIfRequestIsNew(grant.grantId(), grant.requestId(), grant.credentialId(),
                grant.workloadId(), grant.taskId(), grant.environment(), writeResources(grant.resources()),
                grant.credentialType(), grant.issuedAt(), grant.expiresAt(),
                grant.heartbeatInterval() == null ? null : grant.heartbeatInterval().toSeconds(), grant.dpopJkt()) == 1;
    }

    @Override
    public Optional<Grant> findById(UUID grantId) {
        return repository.findById(grantId).map(this::toGrant);
    }

    @Override
    public Optional<Grant> findByRequestId(String requestId) {
        return repository.findByRequestId(requestId).map(this::toGrant);
    }

    @Override
    public boolean markPickedUp(UUID grantId, Instant at) {
        return repository.markPickedUp(grantId, at) == 1;
    }

    @Override
    public boolean markRevoked(UUID grantId, String reason, String detail, Instant revokedAt) {
        return repository.markRevoked(grantId, reason, detail, revokedAt) == 1;
    }

    @Override
    public boolean markEnforced(UUID grantId, Instant at) {
        return repository.markEnforced(grantId, at) == 1;
    }

    @Override
    public boolean releasePickup(UUID grantId, Instant pickedUpAt) {
        return repository.releasePickup(grantId, pickedUpAt) == 1;
    }

    @Override
    public List<Grant> findUnenforcedRevocations(String credentialType, int limit) {
        return repository.findUnenforcedRevocations(credentialType, limit).stream().map(this::toGrant).toList();
    }

    @Override
    public List<Grant> findUnannouncedEnforcements(String credentialType, Instant enforcedBefore, int limit) {
        return repository.findUnannouncedEnforcements(credentialType, enforcedBefore, limit).stream()
                .map(this::toGrant).toList();
    }

    @Override
    public void markAnnounced(UUID grantId, Instant at) {
        repository.markAnnounced(grantId, at);
    }

    private Grant toGrant(GrantRow row) {
        return new Grant(row.grantId(), row.requestId(), row.credentialId(), row.workloadId(), row.taskId(),
                row.environment(), readResources(row.grantId(), row.resources()), row.credentialType(),
                row.issuedAt(), row.expiresAt(),
                row.heartbeatIntervalSeconds() == null ? null : Duration.ofSeconds(row.heartbeatIntervalSeconds()),
                row.dpopJkt(), row.pickedUpAt(), row.revokedAt(), row.revocationReason(),
                row.revocationDetail(), row.enforcedAt());
    }

    private String writeResources(List<GrantedResource> resources) {
        try {
            return json.writeValueAsString(RESOURCES, resources.stream()
                    .map(r -> new StoredResource(r.type(), r.id(), r.actions()))
                    .toList());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write granted resources as JSON", e);
        }
    }

    private List<GrantedResource> readResources(UUID grantId, String stored) {
        try {
            List<StoredResource> resources = json.readValue(stored, RESOURCES);
            return resources.stream().map(r -> new GrantedResource(r.type(), r.id(), r.actions())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("stored resources of grant " + grantId + " are not valid JSON", e);
        }
    }
}
