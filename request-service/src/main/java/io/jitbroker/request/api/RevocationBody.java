package io.jitbroker.request.api;

import io.jitbroker.micronaut.http.StrictJsonBody;
import io.jitbroker.request.domain.ManualRevocationValidator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The body of POST /v1/revocations: scope GRANT takes grantId, TASK takes taskId (and optionally
 * workloadId), WORKLOAD takes workloadId; any other id is refused ({@link ManualRevocationValidator}).
 */
@Serdeable
public record RevocationBody(
        @NotNull @Schema(allowableValues = {"GRANT", "TASK", "WORKLOAD"})
        String scope,
        @Nullable @Schema(description = "scope GRANT only")
        String grantId,
        @Nullable @Schema(description = "scope TASK only")
        String taskId,
        @Nullable @Schema(description = "scope WORKLOAD; for scope TASK, picks one workload when several used the task id")
        String workloadId,
        @NotBlank @Size(max = ManualRevocationValidator.MAX_REASON_LENGTH)
        String reason) implements StrictJsonBody {
}
