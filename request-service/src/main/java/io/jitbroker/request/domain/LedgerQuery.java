package io.jitbroker.request.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * An audit query over the ledger: every filter that is not null must hold (they combine with AND),
 * newest request first.
 *
 * @param reason      a deny code or a revocation reason: matches either
 * @param breakGlass  true: only break-glass entries (asked as such or decided as such); false: only the others
 * @param activeAt    only grants live at that instant: ISSUED (so not revoked) and expiring after it
 * @param from        requested at or after (inclusive)
 * @param to          requested before (exclusive)
 */
public record LedgerQuery(String workloadId, String taskId, String environment, LedgerStatus status, String reason,
                          Boolean breakGlass, Instant activeAt, Instant from, Instant to, PageRequest page) {

    public LedgerQuery {
        Objects.requireNonNull(page, "page");
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }
}
