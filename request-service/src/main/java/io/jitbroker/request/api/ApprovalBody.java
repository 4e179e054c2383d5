package io.jitbroker.request.api;

import io.jitbroker.micronaut.http.StrictJsonBody;
import io.jitbroker.request.domain.ApprovalValidator;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The body of POST /v1/access-requests/{requestId}/approval: an SRE's answer. */
@Serdeable
public record ApprovalBody(
        @NotNull @Schema(description = "true approves, false denies")
        Boolean approve,
        @NotBlank @Size(max = ApprovalValidator.MAX_REASON_LENGTH) @Schema(description = "why, for the audit log")
        String reason) implements StrictJsonBody {
}
