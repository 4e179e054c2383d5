package io.jitbroker.request.persistence;

import io.jitbroker.request.domain.LedgerStatus;
import io.micronaut.core.annotation.Nullable;

/**
 * A ledger entry changed, and to which status: what {@link LedgerChanges} hears. The notification's
 * payload is {@code <requestId> <STATUS>}; a payload without a status (written by an older instance
 * during an upgrade) has a null status, and a listener must read the entry to know it.
 */
public record LedgerChange(String requestId, @Nullable LedgerStatus status) {

    static String payload(String requestId, LedgerStatus status) {
        return requestId + " " + status.name();
    }

    static LedgerChange fromPayload(String payload) {
        int space = payload.lastIndexOf(' ');
        if (space < 0) {
            return new LedgerChange(payload, null);
        }
        LedgerStatus status;
        try {
            status = LedgerStatus.valueOf(payload.substring(space + 1));
        } catch (IllegalArgumentException e) {
            status = null;
        }
        return new LedgerChange(payload.substring(0, space), status);
    }

    /** Whether the entry may have reached an answer: its status says so, or it does not say. */
    public boolean mayBeAnswered() {
        return status == null || !status.onItsWay();
    }
}
