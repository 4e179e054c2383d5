package io.jitbroker.issuer.domain;

import java.util.List;
import java.util.Objects;

/**
 * One resource a grant covers, with the actions allowed on it.
 *
 * @param type    resource kind, e.g. {@code postgres} or {@code http}
 * @param id      resource identifier within its kind; becomes an audience of the credential
 * @param actions allowed actions, sorted and distinct as policy wrote them
 */
public record GrantedResource(String type, String id, List<String> actions) {

    public GrantedResource {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        actions = List.copyOf(actions);
    }
}
