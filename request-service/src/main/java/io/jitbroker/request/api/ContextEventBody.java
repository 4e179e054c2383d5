package io.jitbroker.request.api;

import io.jitbroker.micronaut.http.StrictJsonBody;
import io.jitbroker.request.domain.ContextEventValidator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The body of POST /v1/context-events: what a detector or an SRE reports about a workload. */
@Serdeable
public record ContextEventBody(
        @NotNull @Schema(description = "the workload's SPIFFE ID", example = "spiffe://dev.local/ci/deployer")
        String workloadId,
        @NotNull @Schema(allowableValues = {"WORKLOAD_COMPROMISED", "IDENTITY_DISABLED", "ENVIRONMENT_CHANGED", "RISK_RAISED",
                "WORKLOAD_CLEARED"})
        String type,
        @Nullable @Schema(description = "only the workload's grants in this environment; all when absent")
        String environment,
        @NotBlank @Size(max = ContextEventValidator.MAX_REASON_LENGTH)
        String reason) implements StrictJsonBody {
}
