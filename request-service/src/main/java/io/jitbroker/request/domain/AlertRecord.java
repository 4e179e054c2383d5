package io.jitbroker.request.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * An alert policy-service raised (e.g. a break-glass request), as the ledger database keeps it.
 *
 * @param requestId   the access request it is about, when it is about one
 * @param summary     who, what, why and for how long, for a human
 */
public record AlertRecord(String alertId, String kind, String workloadId, String requestId, String taskId,
                          String environment, String summary, Instant raisedAt) {

    public AlertRecord {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(workloadId, "workloadId");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(raisedAt, "raisedAt");
    }
}
