package io.jitbroker.policy.bundle;

import io.jitbroker.policy.domain.Policy;
import io.micronaut.core.annotation.Nullable;

/**
 * The policy file named by JIT_POLICY_FILE, already validated: published as the first bundle when
 * jit.policies.v1 holds none of this instance's name. {@link #none()} when no file is configured.
 *
 * @param location as configured: a path or {@code classpath:...}
 * @param document its text
 * @param policy   what it parsed to
 */
public record BootstrapPolicyFile(@Nullable String location, @Nullable String document, @Nullable Policy policy) {

    public static BootstrapPolicyFile none() {
        return new BootstrapPolicyFile(null, null, null);
    }

    public boolean isConfigured() {
        return location != null;
    }

    /** The publishedBy of the bundle made from this file. */
    public String publisher() {
        return "policy-service bootstrap from " + location;
    }
}
