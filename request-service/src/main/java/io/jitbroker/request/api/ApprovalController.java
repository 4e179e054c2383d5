package io.jitbroker.request.api;

import io.jitbroker.micronaut.http.ApiException;
import io.jitbroker.request.app.AuditLog;
import io.jitbroker.request.app.LedgerLookup;
import io.jitbroker.request.domain.Approval;
import io.jitbroker.request.domain.ApprovalValidator;
import io.jitbroker.request.domain.InvalidRequestException;
import io.jitbroker.request.domain.LedgerEntry;
import io.jitbroker.request.domain.OperatorRoles;
import io.jitbroker.request.kafka.EventPublisher;
import io.jitbroker.request.kafka.PublishFailedException;
import io.jitbroker.request.metrics.RequestMetrics;
import io.jitbroker.request.persistence.Ledger;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SREs decide the requests policy sent for approval. An approval is published as an
 * ApprovalDecision; policy-service answers with the final decision, and only that changes the ledger.
 */
@Controller
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ApprovalController {

    private static final Logger LOG = LoggerFactory.getLogger(ApprovalController.class);
    /** The only list there is today; the parameter leaves room for others. */
    private static final String PENDING = "pending";

    private final OperatorRoles roles;
    private final LedgerLookup ledgerLookup;
    private final Ledger ledger;
    private final EventPublisher publisher;
    private final AuditLog audit;
    private final RequestMetrics metrics;
    private final Clock clock;

    public ApprovalController(OperatorRoles roles, LedgerLookup ledgerLookup, Ledger ledger,
                              EventPublisher publisher, AuditLog audit, RequestMetrics metrics, Clock clock) {
        this.roles = roles;
        this.ledgerLookup = ledgerLookup;
        this.ledger = ledger;
        this.publisher = publisher;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Post(uri = "/v1/access-requests/{requestId}/approval", consumes = MediaType.APPLICATION_JSON,
            produces = MediaType.APPLICATION_JSON)
    @ApiResponse(responseCode = "202", description = "accepted: the answer is on its way to policy-service")
    public HttpResponse<ApprovalAccepted> decide(String requestId, @Valid @Body ApprovalBody body,
                                                 Authentication authentication) {
        String sre = authentication.getName();
        // Before the ledger is asked: a non-SRE learns nothing about requests (the body's shape, checked before, is public).
        if (!roles.mayApprove(sre)) {
            LOG.warn("workload {} is not an SRE; its approval of request {} was refused", sre, requestId);
            throw ApiException.forbidden("only SREs (JIT_SRE_WORKLOADS) may approve or deny access requests");
        }
        Approval approval;
        try {
            approval = ApprovalValidator.validate(body.approve(), body.reason());
        } catch (InvalidRequestException | ApiException e) {
            LOG.info("rejected an approval of request {} from {}: {}", requestId, sre, e.getMessage());
            throw e;
        }
        LedgerEntry entry = ledgerLookup.require(requestId);
        ApprovalValidator.refusal(sre, entry).ifPresent(refusal -> {
            LOG.warn("approval of request {} by {} refused: {}", requestId, sre, refusal.message());
            audit.approvalRefused(sre, entry, approval, refusal.message());
            throw switch (refusal.kind()) {
                case OWN_REQUEST -> ApiException.forbidden(refusal.message());
                case NOT_PENDING_APPROVAL -> new ApiException(HttpStatus.CONFLICT, "not_pending_approval", refusal.message());
            };
        });
        String eventId = UUID.randomUUID().toString();
        Instant decidedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (!ledger.recordApprovalAnswer(requestId, eventId, sre, approval.approve(), decidedAt)) {
            String message = "access request " + requestId + " was already answered by "
                    + ledger.approvalAnsweredBy(requestId).orElse("another SRE") + "; it takes one answer";
            LOG.warn("approval of request {} by {} refused: {}", requestId, sre, message);
            audit.approvalRefused(sre, entry, approval, message);
            throw new ApiException(HttpStatus.CONFLICT, "already_answered", message);
        }
        try {
            publisher.publishApprovalDecision(eventId, entry, approval, sre, decidedAt);
        } catch (PublishFailedException e) {
            LOG.error("approval {} of request {} by {} not published", eventId, requestId, sre, e);
            ledger.forgetApprovalAnswer(requestId, eventId);
            throw ApiException.unavailable("the approval could not be published; retry later");
        }
        metrics.approval(approval.approve());
        audit.approvalAccepted(eventId, sre, entry, approval);
        return HttpResponse.accepted().body(new ApprovalAccepted(requestId, approval.approve(), eventId));
    }

    @Get(uri = "/v1/approvals{?status}", produces = MediaType.APPLICATION_JSON)
    public PendingApprovals list(@QueryValue @Nullable String status, Authentication authentication) {
        String caller = authentication.getName();
        if (!roles.mayApprove(caller)) {
            LOG.warn("workload {} is not an SRE; its reading of the approvals was refused", caller);
            throw ApiException.forbidden("only SREs (JIT_SRE_WORKLOADS) may list requests waiting for approval");
        }
        if (status != null && !PENDING.equals(status)) {
            throw new InvalidRequestException("status", "status must be '" + PENDING + "' (or left out)");
        }
        return new PendingApprovals(ledger.pendingApprovals().stream().map(PendingApprovalView::of).toList());
    }
}
