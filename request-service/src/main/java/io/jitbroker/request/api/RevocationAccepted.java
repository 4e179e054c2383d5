package io.jitbroker.request.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jitbroker.request.domain.RevocationTarget;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Answer to POST /v1/revocations: what the revocation request names, as published.
 *
 * @param taskId  the task of scope TASK, or the grant's task for scope GRANT; null for scope WORKLOAD
 * @param grantId null unless the scope is GRANT
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RevocationAccepted(String eventId, String scope, String workloadId, String taskId, String grantId) {

    static RevocationAccepted of(String eventId, RevocationTarget target) {
        return new RevocationAccepted(eventId, target.scope().name(), target.workloadId(), target.taskId(), target.grantId());
    }
}
