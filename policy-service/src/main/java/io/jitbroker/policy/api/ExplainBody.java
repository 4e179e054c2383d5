package io.jitbroker.policy.api;

import io.jitbroker.micronaut.http.ApiException;
import io.jitbroker.micronaut.http.StrictJsonBody;
import io.jitbroker.policy.domain.AccessQuery;
import io.jitbroker.policy.domain.ResourceAccess;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.OptionalLong;

/**
 * The body of POST /v1/policy/explain: a hypothetical access request, and optionally a policy YAML
 * to evaluate it against instead of the running bundle. Bean validation checks what is required;
 * {@link AccessQuery#problems()} the rest.
 */
@Serdeable
public record ExplainBody(
        @NotNull @Schema(description = "the workload's SPIFFE ID", example = "spiffe://dev.local/ci/deployer")
        String workloadId,
        @NotNull
        String environment,
        @NotNull
        List<@NotNull @Valid Resource> resources,
        @NotNull
        Long ttlSeconds,
        @Nullable
        String taskId,
        @Nullable
        String justification,
        @Nullable @Schema(description = "a policy YAML to evaluate instead of the running bundle")
        String proposedBundle) implements StrictJsonBody {

    /** One resource and the actions asked on it. */
    @Serdeable
    @Schema(name = "ExplainedResource")
    public record Resource(@NotNull String type, @NotNull String id, @NotNull List<@NotNull String> actions)
            implements StrictJsonBody {
    }

    /** The hypothetical request. @throws ApiException 400 naming what is wrong with it */
    AccessQuery query() {
        AccessQuery query = new AccessQuery(workloadId, environment,
                resources.stream().map(r -> new ResourceAccess(r.type(), r.id(), r.actions())).toList(), ttlSeconds,
                OptionalLong.empty(), taskId, justification);
        List<String> problems = query.problems();
        if (!problems.isEmpty()) {
            throw ApiException.invalid(String.join("; ", problems));
        }
        return query;
    }
}
