package io.jitbroker.policy.api;

import io.jitbroker.micronaut.http.StrictJsonBody;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

/** POST /v1/policy/bundles as JSON: the policy YAML in one field (docs/POLICY.md). */
@Serdeable
public record BundleBody(@NotNull @Schema(description = "the policy bundle's YAML") String document) implements StrictJsonBody {
}
