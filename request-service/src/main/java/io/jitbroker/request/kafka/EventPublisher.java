package io.jitbroker.request.kafka;

import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.AccessRequest;
import io.jitbroker.events.v1.ApprovalDecision;
import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.ContextEventType;
import io.jitbroker.events.v1.Resource;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.RevocationScope;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.events.v1.TaskEventType;
import io.jitbroker.request.domain.Approval;
import io.jitbroker.request.domain.LedgerEntry;
import io.jitbroker.request.domain.RequestedResource;
import io.jitbroker.request.domain.RevocationTarget;
import io.jitbroker.request.domain.TaskEventKind;
import io.jitbroker.request.domain.ValidContextEvent;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns what the service decided into events and publishes them synchronously. */
@Singleton
public class EventPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

    private final EventsClient client;

    public EventPublisher(EventsClient client) {
        this.client = client;
    }

    /**
     * The AccessRequest event of a new ledger entry (published through the outbox, with the entry).
     *
     * @param workloadClaims the caller's non-secret token claims for policy conditions (never the token)
     */
    public AccessRequest accessRequest(LedgerEntry entry, Map<String, String> workloadClaims) {
        return AccessRequest.newBuilder()
                .setRequestId(entry.requestId())
                .setWorkloadId(entry.workloadId())
                .setTaskId(entry.taskId())
                .setEnvironment(entry.environment())
                .setResources(toEvent(entry.resources()))
                .setTtlSeconds(entry.ttlSeconds())
                .setHeartbeatIntervalSeconds(entry.heartbeatIntervalSeconds())
                .setJustification(entry.justification())
                .setRequestedAt(entry.requestedAt())
                .setBreakGlass(entry.breakGlass())
                .setDpopJkt(entry.dpopJkt())
                .setWorkloadClaims(workloadClaims)
                .build();
    }

    /**
     * An SRE's answer to a request waiting for approval; policy-service turns it into the final decision.
     *
     * @param entry     the request's ledger entry: its workload keys nothing but travels with the approval
     * @param decidedBy the SRE's SPIFFE ID
     * @throws PublishFailedException when Kafka did not acknowledge the approval
     */
    public void publishApprovalDecision(String eventId, LedgerEntry entry, Approval approval, String decidedBy,
                                        Instant decidedAt) {
        ApprovalDecision event = ApprovalDecision.newBuilder()
                .setEventId(eventId)
                .setRequestId(entry.requestId())
                .setWorkloadId(entry.workloadId())
                .setApproved(approval.approve())
                .setReason(approval.reason())
                .setDecidedBy(decidedBy)
                .setDecidedAt(decidedAt)
                .build();
        RecordMetadata sent = send(Topics.APPROVALS.name(), entry.workloadId(), event);
        LOG.info("published approval {} ({}) of request {} of workload {} by {} to {}-{}@{}", eventId,
                approval.approve() ? "approved" : "denied", entry.requestId(), entry.workloadId(), decidedBy,
                sent.topic(), sent.partition(), sent.offset());
    }

    /** @throws PublishFailedException when Kafka did not acknowledge the event */
    public void publishTaskEvent(String eventId, String taskId, String workloadId, TaskEventKind kind, Instant occurredAt) {
        TaskEvent event = TaskEvent.newBuilder()
                .setEventId(eventId)
                .setTaskId(taskId)
                .setWorkloadId(workloadId)
                .setType(TaskEventType.valueOf(kind.name()))
                .setOccurredAt(occurredAt)
                .build();
        RecordMetadata sent = send(Topics.TASK_EVENTS.name(), taskId, event);
        LOG.info("published task event {} ({}) for task {} of workload {} to {}-{}@{}", eventId, kind, taskId,
                workloadId, sent.topic(), sent.partition(), sent.offset());
    }

    /**
     * @param source the SPIFFE ID of the detector or SRE who reported it
     * @throws PublishFailedException when Kafka did not acknowledge the event
     */
    public void publishContextEvent(String eventId, ValidContextEvent report, String source, Instant occurredAt) {
        ContextEvent event = ContextEvent.newBuilder()
                .setEventId(eventId)
                .setWorkloadId(report.workloadId())
                .setType(ContextEventType.valueOf(report.kind().name()))
                .setEnvironment(report.environment())
                .setReason(report.reason())
                .setSource(source)
                .setOccurredAt(occurredAt)
                .build();
        RecordMetadata sent = send(Topics.CONTEXT_EVENTS.name(), report.workloadId(), event);
        LOG.info("published context event {} ({}) about workload {} to {}-{}@{}", eventId, report.kind(),
                report.workloadId(), sent.topic(), sent.partition(), sent.offset());
    }

    /**
     * Asks the revoker to revoke what an SRE named, with reason MANUAL.
     *
     * @param detail      the SRE's own words
     * @param requestedBy the SRE's SPIFFE ID
     * @throws PublishFailedException when Kafka did not acknowledge the request
     */
    public void publishManualRevocationRequest(String eventId, RevocationTarget target, String detail, String requestedBy,
                                               Instant requestedAt) {
        RevocationRequest event = RevocationRequest.newBuilder()
                .setEventId(eventId)
                .setScope(RevocationScope.valueOf(target.scope().name()))
                .setWorkloadId(target.workloadId())
                .setTaskId(target.taskId())
                .setGrantId(target.grantId())
                .setReason(RevocationReason.MANUAL)
                .setDetail(detail)
                .setRequestedBy(requestedBy)
                .setRequestedAt(requestedAt)
                .build();
        RecordMetadata sent = send(Topics.REVOCATION_REQUESTS.name(), target.workloadId(), event);
        LOG.info("published revocation request {} ({} of workload {}, task {}, grant {}) to {}-{}@{}", eventId,
                target.scope(), target.workloadId(), target.taskId(), target.grantId(), sent.topic(), sent.partition(),
                sent.offset());
    }

    private RecordMetadata send(String topic, String key, SpecificRecord value) {
        try {
            return client.send(topic, key, value);
        } catch (RuntimeException e) {
            throw new PublishFailedException("could not publish " + key + " to " + topic, e);
        }
    }

    private static List<Resource> toEvent(List<RequestedResource> resources) {
        return resources.stream()
                .map(r -> Resource.newBuilder().setType(r.type()).setId(r.id()).setActions(r.actions()).build())
                .toList();
    }
}
