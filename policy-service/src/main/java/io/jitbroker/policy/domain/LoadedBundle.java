package io.jitbroker.policy.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One policy bundle as this instance runs it: its metadata and the engine compiled from its
 * document. Immutable, so that one read of the running bundle gives an engine and a version that
 * belong together.
 *
 * @param name        the bundle name (the record key on jit.policies.v1)
 * @param version     the policy's {@code version}, copied into every decision
 * @param document    the YAML the engine was compiled from; empty for the deny-all placeholder
 * @param publishedBy the SPIFFE ID of the admin who published it, or the bootstrap note; empty for deny-all
 * @param publishedAt when it was published; null for the deny-all placeholder
 * @param engine      the compiled policy
 */
public record LoadedBundle(String name, String version, String document, String publishedBy,
                           Instant publishedAt, PolicyEngine engine) {

    public LoadedBundle {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(publishedBy, "publishedBy");
        Objects.requireNonNull(engine, "engine");
    }

    /** What runs before any bundle has been loaded: no environments, no rules, every request denied. */
    public static LoadedBundle denyAll(String name) {
        return new LoadedBundle(name, Policy.DENY_ALL_VERSION, "", "", null, new PolicyEngine(Policy.denyAll()));
    }

    /** True for the placeholder that runs until a bundle has been loaded. */
    public boolean isDenyAll() {
        return publishedAt == null;
    }

    public Policy policy() {
        return engine.policy();
    }

    /** Same version and the very same document: loading it again would change nothing. */
    public boolean sameAs(String otherVersion, String otherDocument) {
        return version.equals(otherVersion) && document.equals(otherDocument);
    }
}
