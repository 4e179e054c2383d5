package io.jitbroker.request.api;

import io.jitbroker.micronaut.http.ApiException;
import io.jitbroker.request.domain.AccessRequestValidator;
import io.jitbroker.request.domain.TaskEventKind;
import io.jitbroker.request.kafka.EventPublisher;
import io.jitbroker.request.kafka.PublishFailedException;
import io.jitbroker.request.metrics.RequestMetrics;
import io.jitbroker.request.persistence.Ledger;
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

/** A workload reports its task's lifecycle; revocation-service ends grants on it. */
@Controller("/v1/tasks")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class TaskEventController {

    private static final Logger LOG = LoggerFactory.getLogger(TaskEventController.class);

    private final Ledger ledger;
    private final EventPublisher publisher;
    private final RequestMetrics metrics;
    private final Clock clock;

    public TaskEventController(Ledger ledger, EventPublisher publisher, RequestMetrics metrics,
                               Clock clock) {
        this.ledger = ledger;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Post(uri = "/{taskId}/events", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @ApiResponse(responseCode = "202", description = "accepted: the event is on its way to revocation-service")
    public HttpResponse<TaskEventAccepted> report(String taskId, @Valid @Body TaskEventBody body, Authentication authentication) {
        String workloadId = authentication.getName();
        AccessRequestValidator.requireTaskId("taskId", taskId);
        TaskEventKind kind = TaskEventKind.of(body.type());
        switch (ledger.taskOwnership(taskId, workloadId)) {
            case UNKNOWN -> throw ApiException.notFound("no access request names task " + taskId);
            case OTHER_WORKLOAD -> {
                LOG.warn("workload {} tried to report {} for task {} of another workload", workloadId, kind, taskId);
                throw ApiException.forbidden("only the workload that owns task " + taskId + " may report its events");
            }
            case OWNED -> { }
        }
        String eventId = UUID.randomUUID().toString();
        try {
            publisher.publishTaskEvent(eventId, taskId, workloadId, kind, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        } catch (PublishFailedException e) {
            LOG.error("task event {} for task {} of workload {} not published", kind, taskId, workloadId, e);
            throw ApiException.unavailable("the task event could not be published; retry later");
        }
        metrics.taskEvent(kind.name());
        return HttpResponse.accepted().body(new TaskEventAccepted(eventId));
    }
}
