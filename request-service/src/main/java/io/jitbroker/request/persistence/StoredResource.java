package io.jitbroker.request.persistence;

import io.jitbroker.request.domain.RequestedResource;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** A resource as stored in the ledger's JSON columns. */
@Serdeable
public record StoredResource(String type, String id, List<String> actions) {

    static List<StoredResource> fromDomain(List<RequestedResource> resources) {
        return resources == null ? null
                : resources.stream().map(r -> new StoredResource(r.type(), r.id(), r.actions())).toList();
    }

    static List<RequestedResource> toDomain(List<StoredResource> resources) {
        return resources == null ? null
                : resources.stream().map(r -> new RequestedResource(r.type(), r.id(), r.actions())).toList();
    }
}
