package io.jitbroker.policy.api;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** Bodies of the bundle endpoints. */
final class BundleViews {

    private BundleViews() {
    }

    /** What {@code POST /v1/policy/bundles} did: {@code version} replaced {@code previousVersion} (equal when unchanged). */
    @Serdeable
    record Publication(String name, String version, String previousVersion) {
    }

    /** {@code GET /v1/policy/bundles/current}: the bundle this instance decides with. */
    @Serdeable
    record Current(String name, String version, String publishedBy, Instant publishedAt, String document) {
    }
}
