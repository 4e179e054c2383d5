package io.jitbroker.chaos.check;

import java.util.Set;

/**
 * What the checker needs of one request-service ledger entry (GET /v1/access-requests/{id}), times in
 * epoch milliseconds.
 *
 * @param status           PENDING, PENDING_APPROVAL, APPROVED, DENIED, ISSUED or REVOKED
 * @param grantId          null until issued
 * @param expiresAtMillis  the grant's expiry; 0 until issued
 * @param revocationReason a {@code RevocationReason} name; null until revoked
 * @param revokedAtMillis  0 until revoked
 */
public record LedgerEntry(String requestId, String workloadId, String taskId, String status, String grantId,
                          long expiresAtMillis, String revocationReason, long revokedAtMillis) {

    /** Statuses after which nothing more happens to a request. */
    public static final Set<String> TERMINAL = Set.of("DENIED", "REVOKED");

    public boolean terminal() {
        return TERMINAL.contains(status);
    }

    /** Issued, and its grant not expired at {@code millis}. */
    public boolean liveAt(long millis) {
        return "ISSUED".equals(status) && expiresAtMillis > millis;
    }
}
