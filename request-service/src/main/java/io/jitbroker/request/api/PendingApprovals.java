package io.jitbroker.request.api;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** Answer to GET /v1/approvals?status=pending, oldest request first. */
@Serdeable
public record PendingApprovals(List<PendingApprovalView> approvals) {
}
