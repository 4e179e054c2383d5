package io.jitbroker.request.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** What other services report about an access request, as the ledger needs it. */
public sealed interface LedgerEvent {

    String requestId();

    /** The workload the event is about; must be the workload that made the request. */
    String workloadId();

    /**
     * Policy decided (jit.access-decisions.v1).
     *
     * @param denyCode         why it was denied, as a code; null unless DENIED
     * @param breakGlass       decided on a break-glass request
     * @param approvalDeadline PENDING_APPROVAL only: when the request is closed as DENIED if nobody decides
     * @param approvedBy       the SRE who approved or denied a request that needed approval; null otherwise
     * @param approvalReason   the reason that SRE gave; null otherwise
     */
    record Decided(String requestId, String workloadId, DecisionOutcome outcome, List<String> reasons,
                   String policyVersion, List<RequestedResource> grantedResources, long grantedTtlSeconds,
                   Instant decidedAt, String denyCode, boolean breakGlass, Instant approvalDeadline,
                   String approvedBy, String approvalReason) implements LedgerEvent {
        public Decided {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(workloadId, "workloadId");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(decidedAt, "decidedAt");
            reasons = List.copyOf(reasons);
            grantedResources = List.copyOf(grantedResources);
        }
    }

    /** A grant was issued (jit.grants.v1). */
    record Issued(String requestId, String workloadId, String grantId, Instant issuedAt, Instant expiresAt)
            implements LedgerEvent {
        public Issued {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(workloadId, "workloadId");
            Objects.requireNonNull(grantId, "grantId");
            Objects.requireNonNull(issuedAt, "issuedAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /**
     * The grant was revoked (jit.revocations.v1).
     *
     * @param causeEventId the task or context event (or revocation request) that caused it; null when none did
     */
    record Revoked(String requestId, String workloadId, String grantId, String reason, String detail,
                   String causeEventId, Instant expiresAt, Instant revokedAt) implements LedgerEvent {
        public Revoked {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(workloadId, "workloadId");
            Objects.requireNonNull(grantId, "grantId");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(expiresAt, "expiresAt");
            Objects.requireNonNull(revokedAt, "revokedAt");
        }
    }

    /**
     * The issuer made the revocation true where the credential is checked (jit.enforcements.v1).
     * May arrive before the revocation it enforces.
     *
     * @param backend where it was enforced, e.g. {@code jwt-denylist}
     */
    record Enforced(String requestId, String workloadId, String grantId, String backend, Instant enforcedAt)
            implements LedgerEvent {
        public Enforced {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(workloadId, "workloadId");
            Objects.requireNonNull(grantId, "grantId");
            Objects.requireNonNull(backend, "backend");
            Objects.requireNonNull(enforcedAt, "enforcedAt");
        }
    }
}
