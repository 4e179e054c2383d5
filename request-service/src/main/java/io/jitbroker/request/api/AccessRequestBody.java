package io.jitbroker.request.api;

import io.jitbroker.micronaut.http.StrictJsonBody;
import io.jitbroker.request.domain.AccessRequestFields;
import io.jitbroker.request.domain.AccessRequestValidator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * The body of POST /v1/access-requests. The workload is the token's subject, never a field. Bean
 * validation checks the shape; {@link AccessRequestValidator} the rest (known environment, the maximum
 * ttl, a heartbeat no longer than the ttl, break-glass justification, canonical thumbprint, text).
 */
@Serdeable
@Schema(description = "An access request for one task")
public record AccessRequestBody(
        @NotNull @Pattern(regexp = AccessRequestValidator.TASK_ID_PATTERN,
                message = "must be 1 to 128 characters of letters, digits, '.', '_', ':' or '-'")
        @Schema(description = "the task the access is for; its events (POST /v1/tasks/{taskId}/events) end the grant")
        String taskId,
        @NotBlank @Schema(description = "one of the environments the broker serves (JIT_ENVIRONMENTS)")
        String environment,
        @NotEmpty @Size(max = AccessRequestValidator.MAX_RESOURCES)
        List<@NotNull @Valid Resource> resources,
        @NotNull @Positive @Schema(description = "how long the access may last; at most JIT_MAX_TTL_SECONDS")
        Long ttlSeconds,
        @Nullable @Min(AccessRequestValidator.MIN_HEARTBEAT_INTERVAL_SECONDS)
        @Schema(description = "when set, the task must report STARTED or HEARTBEAT at least this often (at most ttlSeconds)"
                + " or its grant is revoked with HEARTBEAT_MISSED")
        Long heartbeatIntervalSeconds,
        @NotBlank @Size(max = AccessRequestValidator.MAX_JUSTIFICATION_LENGTH)
        String justification,
        @Nullable @Schema(description = "an emergency request (default false); the justification then needs at least 10"
                + " non-blank characters")
        Boolean breakGlass,
        @Nullable @Pattern(regexp = AccessRequestValidator.JWK_THUMBPRINT_PATTERN,
                message = "must be an RFC 7638 JWK SHA-256 thumbprint: 43 characters of base64url without padding")
        @Schema(description = "binds the credential to this DPoP key (RFC 9449 cnf.jkt)")
        String dpopJkt) implements AccessRequestFields, StrictJsonBody {

    /** One resource and the actions asked on it. */
    @Serdeable
    @Schema(name = "RequestedResource")
    public record Resource(
            @NotBlank @Size(max = AccessRequestValidator.MAX_TYPE_LENGTH) @Schema(example = "postgres")
            String type,
            @NotBlank @Size(max = AccessRequestValidator.MAX_ID_LENGTH) @Schema(example = "orders-db")
            String id,
            @NotEmpty @Size(max = AccessRequestValidator.MAX_ACTIONS)
            List<@NotBlank @Size(max = AccessRequestValidator.MAX_ACTION_LENGTH) String> actions)
            implements ResourceFields, StrictJsonBody {
    }
}
