package io.jitbroker.request.domain;

import java.util.Objects;

/**
 * A context event body that passed every rule; who reported it comes from the token.
 *
 * @param environment the only environment affected, or null for all of them
 */
public record ValidContextEvent(String workloadId, ContextEventKind kind, String environment, String reason) {

    public ValidContextEvent {
        Objects.requireNonNull(workloadId, "workloadId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }
}
