package io.jitbroker.request.domain;

import java.util.Optional;

/**
 * The rules an SRE's approval must pass: a valid body, a request that waits for approval, and not
 * the SRE's own request (four eyes). Whether the caller is an SRE at all is {@link OperatorRoles}'s.
 */
public final class ApprovalValidator {

    public static final int MAX_REASON_LENGTH = 500;

    private ApprovalValidator() {
    }

    /** The SRE's answer as the body said it; either may be null. */
    public static Approval validate(Boolean approve, String reason) {
        boolean approved = JsonFields.requiredBoolean("approve", approve);
        return new Approval(approved, JsonFields.requiredText("reason", reason, MAX_REASON_LENGTH));
    }

    /**
     * Why {@code sre} may not decide this request now, or empty when it may.
     *
     * @param entry the request's ledger entry
     */
    public static Optional<Refusal> refusal(String sre, LedgerEntry entry) {
        if (entry.workloadId().equals(sre)) {
            return Optional.of(new Refusal(Refusal.Kind.OWN_REQUEST,
                    "an SRE may not approve or deny a request its own identity made (" + entry.requestId() + ")"));
        }
        if (entry.status() != LedgerStatus.PENDING_APPROVAL) {
            return Optional.of(new Refusal(Refusal.Kind.NOT_PENDING_APPROVAL, "access request " + entry.requestId()
                    + " is " + entry.status() + ", not PENDING_APPROVAL: there is nothing to approve or deny"));
        }
        return Optional.empty();
    }

    /** Why an approval is refused, with a message that says it. */
    public record Refusal(Kind kind, String message) {

        public enum Kind {
            /** The SRE made the request itself. */
            OWN_REQUEST,
            /** The ledger does not show the request waiting for approval. */
            NOT_PENDING_APPROVAL
        }
    }
}
