package io.jitbroker.policy.app;

import io.jitbroker.policy.domain.LoadedBundle;
import io.jitbroker.policy.domain.Policy;
import io.jitbroker.policy.domain.PolicyEngine;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * The policy this instance decides with right now: the last valid version of its bundle
 * ({@code jit.policy.bundle}) read from jit.policies.v1 and applied by {@link PolicyBundleApplier},
 * or deny-all until one has been loaded.
 *
 * <p>Readers take {@link #bundle()} (or {@link #engine()}) once per decision and use that object
 * throughout: a new version swaps the whole reference atomically, so a decision never mixes two
 * versions. Nothing here blocks. Before deciding anything, wait for
 * {@link io.jitbroker.policy.kafka.PolicyBundleReader#awaitCaughtUp} so as not to deny everything with the placeholder.
 */
@Singleton
public class CurrentPolicy {

    private final String name;
    private volatile LoadedBundle bundle;

    public CurrentPolicy(@Value("${jit.policy.bundle:default}") String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("jit.policy.bundle (JIT_POLICY_BUNDLE) must name a bundle");
        }
        this.name = name;
        this.bundle = LoadedBundle.denyAll(name);
    }

    /** The bundle name this instance follows. */
    public String name() {
        return name;
    }

    /** The running bundle: metadata and engine, consistent with each other. */
    public LoadedBundle bundle() {
        return bundle;
    }

    public PolicyEngine engine() {
        return bundle.engine();
    }

    public Policy policy() {
        return bundle.policy();
    }

    public String version() {
        return bundle.version();
    }

    /** Swaps in {@code next}; only {@link PolicyBundleApplier} calls this. @return the bundle it replaced */
    synchronized LoadedBundle replace(LoadedBundle next) {
        if (!next.name().equals(name)) {
            throw new IllegalArgumentException("bundle " + next.name() + " is not " + name);
        }
        LoadedBundle previous = bundle;
        bundle = next;
        return previous;
    }
}
