package io.jitbroker.request.api;

import io.jitbroker.micronaut.http.ApiException;
import io.jitbroker.micronaut.http.JsonBodies;
import io.jitbroker.request.app.AccessRequestSubmission;
import io.jitbroker.request.app.AuditLog;
import io.jitbroker.request.app.LedgerLookup;
import io.jitbroker.request.domain.AccessRequestValidator;
import io.jitbroker.request.domain.InvalidRequestException;
import io.jitbroker.request.domain.LedgerAccess;
import io.jitbroker.request.domain.LedgerEntry;
import io.jitbroker.request.domain.ValidAccessRequest;
import io.jitbroker.request.domain.WorkloadClaims;
import io.jitbroker.request.kafka.PublishFailedException;
import io.jitbroker.request.metrics.RequestMetrics;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Workloads ask for access here and read their ledger entries. The workload is always the token's subject. */
@Controller("/v1/access-requests")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class AccessRequestController {

    private static final Logger LOG = LoggerFactory.getLogger(AccessRequestController.class);

    private final JsonBodies bodies;
    private final AccessRequestValidator validator;
    private final AccessRequestSubmission submission;
    private final LedgerLookup ledgerLookup;
    private final LedgerAccess access;
    private final AuditLog audit;
    private final RequestMetrics metrics;

    public AccessRequestController(JsonBodies bodies, AccessRequestValidator validator,
                                   AccessRequestSubmission submission, LedgerLookup ledgerLookup, LedgerAccess access,
                                   AuditLog audit, RequestMetrics metrics) {
        this.bodies = bodies;
        this.validator = validator;
        this.submission = submission;
        this.ledgerLookup = ledgerLookup;
        this.access = access;
        this.audit = audit;
        this.metrics = metrics;
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<RequestAccepted> submit(@Body @Nullable String body,
                                                @Header("Idempotency-Key") @Nullable String idempotencyKey,
                                                Authentication authentication) {
        String workloadId = authentication.getName();
        ValidAccessRequest request;
        try {
            AccessRequestValidator.requireIdempotencyKeyOrNull(idempotencyKey);
            request = validator.validate(bodies.object(body));
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
            metrics.request("rejected");
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

    @Get(uri = "/{requestId}", produces = MediaType.APPLICATION_JSON)
    public AccessRequestView get(String requestId, Authentication authentication) {
        String workloadId = authentication.getName();
        LedgerEntry entry = ledgerLookup.require(requestId);
        if (!access.mayRead(workloadId, entry)) {
            LOG.warn("workload {} was refused the ledger entry of request {}", workloadId, requestId);
            throw ApiException.forbidden("only the requesting workload or an SRE may read access request " + requestId);
        }
        return AccessRequestView.of(entry);
    }
}
