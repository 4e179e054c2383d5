package io.jitbroker.request.api;

import io.jitbroker.micronaut.http.ApiException;
import io.jitbroker.request.app.AuditLog;
import io.jitbroker.request.domain.ContextEventValidator;
import io.jitbroker.request.domain.InvalidRequestException;
import io.jitbroker.request.domain.OperatorRoles;
import io.jitbroker.request.domain.ValidContextEvent;
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
 * Detectors and SREs report that something changed about a workload (compromised, disabled, ...);
 * revocation-service revokes its grants on it. Only SREs may clear a workload (WORKLOAD_CLEARED).
 * The reporter is the token's subject.
 */
@Controller("/v1/context-events")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ContextEventController {

    private static final Logger LOG = LoggerFactory.getLogger(ContextEventController.class);

    private final ContextEventValidator validator;
    private final OperatorRoles roles;
    private final EventPublisher publisher;
    private final AuditLog audit;
    private final RequestMetrics metrics;
    private final Clock clock;

    public ContextEventController(ContextEventValidator validator, OperatorRoles roles,
                                  EventPublisher publisher, AuditLog audit, RequestMetrics metrics, Clock clock) {
        this.validator = validator;
        this.roles = roles;
        this.publisher = publisher;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @ApiResponse(responseCode = "202", description = "accepted: the workload's grants are being revoked")
    public HttpResponse<ContextEventAccepted> report(@Valid @Body ContextEventBody body, Authentication authentication) {
        String caller = authentication.getName();
        // Before the body's rules: a caller who may not report learns nothing about what would pass (its shape is public).
        if (!roles.mayReportContext(caller)) {
            LOG.warn("workload {} is neither a detector nor an SRE; its context event was refused", caller);
            throw ApiException.forbidden("only detectors (JIT_DETECTOR_WORKLOADS) and SREs may report context events");
        }
        ValidContextEvent event;
        try {
            event = validator.validate(body.workloadId(), body.type(), body.environment(), body.reason());
        } catch (InvalidRequestException | ApiException e) {
            LOG.info("rejected a context event from {}: {}", caller, e.getMessage());
            throw e;
        }
        if (!roles.mayReport(caller, event.kind())) {
            LOG.warn("workload {} may not report {} about workload {}; refused", caller, event.kind(), event.workloadId());
            throw ApiException.forbidden("only SREs (JIT_SRE_WORKLOADS) may report " + event.kind()
                    + ": a detector may raise, only a human clears");
        }
        String eventId = UUID.randomUUID().toString();
        try {
            publisher.publishContextEvent(eventId, event, caller, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        } catch (PublishFailedException e) {
            LOG.error("context event {} ({}) about workload {} from {} not published", eventId, event.kind(),
                    event.workloadId(), caller, e);
            throw ApiException.unavailable("the context event could not be published; retry later");
        }
        metrics.contextEvent(event.kind().name());
        audit.contextEventAccepted(eventId, caller, event);
        return HttpResponse.accepted().body(new ContextEventAccepted(eventId));
    }
}
