package io.jitbroker.issuer.domain;

import java.util.List;
import java.util.stream.Collectors;

/** The OAuth {@code scope} of a credential: one {@code <type>:<id>:<action>} entry per granted action. */
public final class Scope {

    private Scope() {
    }

    public static String of(List<GrantedResource> resources) {
        return resources.stream()
                .flatMap(resource -> resource.actions().stream()
                        .map(action -> resource.type() + ":" + resource.id() + ":" + action))
                .distinct()
                .collect(Collectors.joining(" "));
    }
}
