package io.jitbroker.request.api;

import io.jitbroker.micronaut.http.ApiException;
import io.jitbroker.request.app.AuditLog;
import io.jitbroker.request.app.RevocationTargets;
import io.jitbroker.request.domain.InvalidRequestException;
import io.jitbroker.request.domain.ManualRevocation;
import io.jitbroker.request.domain.ManualRevocationValidator;
import io.jitbroker.request.domain.OperatorRoles;
import io.jitbroker.request.domain.RevocationTarget;
import io.jitbroker.request.kafka.EventPublisher;
import io.jitbroker.request.kafka.PublishFailedException;
import io.jitbroker.request.metrics.RequestMetrics;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SREs revoke by hand: one grant, every grant of a task, or every grant of a workload. The
 * revoker turns the request into revocations with reason MANUAL and the SRE's words as detail.
 */
@Controller("/v1/revocations")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class RevocationController {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationController.class);

    private final OperatorRoles roles;
    private final RevocationTargets targets;
    private final EventPublisher publisher;
    private final AuditLog audit;
    private final RequestMetrics metrics;
    private final Clock clock;

    public RevocationController(OperatorRoles roles, RevocationTargets targets,
                                EventPublisher publisher, AuditLog audit, RequestMetrics metrics, Clock clock) {
        this.roles = roles;
        this.targets = targets;
        this.publisher = publisher;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @ApiResponse(responseCode = "202", description = "accepted: the named grants are being revoked")
    public HttpResponse<RevocationAccepted> revoke(@Valid @Body RevocationBody body, Authentication authentication) {
        String caller = authentication.getName();
        // Before the body's rules and the ledger: a non-SRE learns nothing about grants (the body's shape is public).
        if (!roles.mayRevoke(caller)) {
            LOG.warn("workload {} is not an SRE; its manual revocation was refused", caller);
            throw ApiException.forbidden("only SREs (JIT_SRE_WORKLOADS) may revoke by hand");
        }
        ManualRevocation revocation;
        RevocationTarget target;
        try {
            revocation = ManualRevocationValidator.validate(body.scope(), body.grantId(), body.taskId(),
                    body.workloadId(), body.reason());
            target = targets.resolve(revocation);
        } catch (InvalidRequestException | ApiException e) {
            LOG.info("rejected a manual revocation from {}: {}", caller, e.getMessage());
            throw e;
        }
        String eventId = UUID.randomUUID().toString();
        try {
            publisher.publishManualRevocationRequest(eventId, target, revocation.reason(), caller,
                    clock.instant().truncatedTo(ChronoUnit.MILLIS));
        } catch (PublishFailedException e) {
            LOG.error("manual revocation {} ({} of workload {}) from {} not published", eventId, target.scope(),
                    target.workloadId(), caller, e);
            throw ApiException.unavailable("the revocation request could not be published; retry later");
        }
        metrics.manualRevocation(target.scope().name());
        audit.manualRevocationAccepted(eventId, caller, target, revocation.reason());
        return HttpResponse.accepted().body(RevocationAccepted.of(eventId, target));
    }
}
