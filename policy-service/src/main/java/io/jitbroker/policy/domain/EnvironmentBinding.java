package io.jitbroker.policy.domain;

import java.util.Objects;

/**
 * Workloads that may only ever get access in one environment: a request for any other environment
 * is denied (ENVIRONMENT_BINDING), whatever the rules say.
 *
 * @param workload    SPIFFE IDs it binds, exact or a {@link GlobPattern}
 * @param environment the one environment they are bound to
 */
public record EnvironmentBinding(GlobPattern workload, String environment) {

    public EnvironmentBinding {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(environment, "environment");
    }
}
