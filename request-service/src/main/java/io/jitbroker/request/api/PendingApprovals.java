package io.jitbroker.request.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** Answer to GET /v1/approvals?status=pending, oldest request first. */
@Serdeable
// An empty queue is {"approvals":[]}, not {}: the dashboard reads the list.
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PendingApprovals(List<PendingApprovalView> approvals) {
}
