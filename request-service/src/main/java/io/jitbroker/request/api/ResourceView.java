package io.jitbroker.request.api;

import io.jitbroker.request.domain.RequestedResource;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

@Serdeable
public record ResourceView(String type, String id, List<String> actions) {

    static List<ResourceView> of(List<RequestedResource> resources) {
        return resources == null ? null : resources.stream().map(r -> new ResourceView(r.type(), r.id(), r.actions())).toList();
    }
}
