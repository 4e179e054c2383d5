package io.jitbroker.request.api;

import io.jitbroker.micronaut.http.ApiError;
import io.jitbroker.micronaut.http.ApiException;
import io.jitbroker.micronaut.http.ApiExceptionHandler;
import io.jitbroker.micronaut.http.ConstraintViolationHandler;
import io.jitbroker.micronaut.http.InvalidBodyException;
import io.jitbroker.micronaut.logging.LogContext;
import io.jitbroker.request.app.AccessRequestSubmission;
import io.jitbroker.request.app.AnswerWait;
import io.jitbroker.request.app.AuditLog;
import io.jitbroker.request.app.LedgerLookup;
import io.jitbroker.request.domain.AccessRequestValidator;
import io.jitbroker.request.domain.InvalidRequestException;
import io.jitbroker.request.domain.LedgerAccess;
import io.jitbroker.request.domain.LedgerEntry;
import io.jitbroker.request.domain.ValidAccessRequest;
import io.jitbroker.request.domain.WaitDuration;
import io.jitbroker.request.domain.WorkloadClaims;
import io.jitbroker.request.kafka.PublishFailedException;
import io.jitbroker.request.metrics.RequestMetrics;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import java.security.Principal;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Workloads ask for access here and read their ledger entries. The workload is always the token's subject. */
@Controller("/v1/access-requests")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class AccessRequestController {

    private static final Logger LOG = LoggerFactory.getLogger(AccessRequestController.class);

    private final AccessRequestValidator validator;
    private final AccessRequestSubmission submission;
    private final LedgerLookup ledgerLookup;
    private final AnswerWait answers;
    private final LedgerAccess access;
    private final AuditLog audit;
    private final RequestMetrics metrics;
    private final ApiExceptionHandler bodyErrors;
    private final ConstraintViolationHandler ruleErrors;

    public AccessRequestController(AccessRequestValidator validator,
                                   AccessRequestSubmission submission, LedgerLookup ledgerLookup, AnswerWait answers,
                                   LedgerAccess access, AuditLog audit, RequestMetrics metrics,
                                   ApiExceptionHandler bodyErrors, ConstraintViolationHandler ruleErrors) {
        this.validator = validator;
        this.submission = submission;
        this.ledgerLookup = ledgerLookup;
        this.answers = answers;
        this.access = access;
        this.audit = audit;
        this.metrics = metrics;
        this.bodyErrors = bodyErrors;
        this.ruleErrors = ruleErrors;
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @ApiResponse(responseCode = "202", description = "accepted: PENDING until policy-service decides; Location names the ledger entry")
    public HttpResponse<RequestAccepted> submit(@Valid @Body AccessRequestBody body,
                                                @Header("Idempotency-Key") @Nullable String idempotencyKey,
                                                Authentication authentication) {
        try (LogContext ids = LogContext.of(LogContext.WORKLOAD_ID, authentication.getName())) {
            return submitAs(authentication.getName(), body, idempotencyKey, authentication);
        }
    }

    private HttpResponse<RequestAccepted> submitAs(String workloadId, AccessRequestBody body,
                                                   @Nullable String idempotencyKey, Authentication authentication) {
        ValidAccessRequest request;
        try {
            AccessRequestValidator.requireIdempotencyKeyOrNull(idempotencyKey);
            request = validator.validate(body);
        } catch (InvalidRequestException | ApiException e) {
            metrics.request("rejected");
            LOG.info("rejected an access request of workload {}: {}", workloadId, e.getMessage());
            throw e;
        }
        AccessRequestSubmission.Submitted submitted;
        try {
            // The verified token's claims, not the token: policy conditions may read them.
            submitted = submission.submit(workloadId, idempotencyKey, request,
                    WorkloadClaims.of(authentication.getAttributes()));
        } catch (ApiException e) {
            if (e.status() == HttpStatus.SERVICE_UNAVAILABLE) {
                metrics.request("overloaded");
                LOG.debug("access request of workload {} for task {} refused: {}", workloadId, request.taskId(), e.getMessage());
            } else {
                metrics.request("rejected");
            }
            throw e;
        } catch (PublishFailedException e) {
            metrics.request("unavailable");
            LOG.error("access request of workload {} for task {} not published; nothing stored", workloadId,
                    request.taskId(), e);
            throw ApiException.unavailable("the request could not be published, so nothing was stored; retry later");
        }
        LedgerEntry entry = submitted.entry();
        metrics.request(submitted.replayed() ? "replayed" : "accepted");
        if (entry.breakGlass() && !submitted.replayed()) {
            metrics.breakGlassRequest();
            audit.breakGlassRequested(entry);
        }
        return HttpResponse.accepted()
                .header(HttpHeaders.LOCATION, "/v1/access-requests/" + entry.requestId())
                .body(new RequestAccepted(entry.requestId(), entry.status().name()));
    }

    /**
     * A body refused as it was read (not JSON, a wrong type, an unknown field) or by bean validation
     * never reaches {@link #submit}: counted and logged here like every other refused request, answered
     * as everywhere else.
     */
    @Error(exception = InvalidBodyException.class)
    HttpResponse<ApiError> refusedBody(HttpRequest<?> request, InvalidBodyException refusal) {
        refused(request, refusal.getMessage());
        return bodyErrors.handle(request, refusal);
    }

    @Error(exception = ConstraintViolationException.class)
    HttpResponse<ApiError> refusedBody(HttpRequest<?> request, ConstraintViolationException refusal) {
        HttpResponse<ApiError> answer = ruleErrors.handle(request, refusal);
        refused(request, answer.body().message());
        return answer;
    }

    private void refused(HttpRequest<?> request, String why) {
        metrics.request("rejected");
        LOG.info("rejected an access request of workload {}: {}",
                request.getUserPrincipal().map(Principal::getName).orElse("unknown"), why);
    }

    /**
     * The ledger entry. With {@code ?wait=10s} (at most 30 s), the answer comes as soon as the request
     * is no longer on its way (ISSUED, DENIED, PENDING_APPROVAL, REVOKED) or the time is up: no polling.
     */
    @Get(uri = "/{requestId}{?wait}", produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<AccessRequestView> get(String requestId, @Nullable @QueryValue("wait") String wait,
                                                    Authentication authentication) {
        Duration waitFor = WaitDuration.parse(wait);
        String workloadId = authentication.getName();
        LedgerEntry entry = ledgerLookup.require(requestId);
        if (!access.mayRead(workloadId, entry)) {
            LOG.warn("workload {} was refused the ledger entry of request {}", workloadId, requestId);
            throw ApiException.forbidden("only the requesting workload or an SRE may read access request " + requestId);
        }
        return answers.until(entry, waitFor).thenApply(AccessRequestView::of);
    }
}
