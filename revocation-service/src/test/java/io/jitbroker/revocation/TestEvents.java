package io.jitbroker.revocation;

import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.ContextEventType;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Resource;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.RevocationScope;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.events.v1.TaskEventType;
import io.jitbroker.kafka.RegistrySerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Events as the other services write them, with the ids a test chooses. */
public final class TestEvents {

    /** The workload of every event that does not name one. */
    public static final String WORKLOAD = "spiffe://dev.local/ci/deployer";
    public static final String ENVIRONMENT = "staging";

    static {
        // Before any Avro class loads: a static event built earlier would break Avro for the JVM.
        RegistrySerdes.trustEventsPackage();
    }

    private TestEvents() {
    }

    /** A grant of {@link #WORKLOAD} for task {@code taskId}, issued at {@code issuedAt}, valid for {@code ttl}. */
    public static GrantIssued grant(String grantId, String taskId, Instant issuedAt, Duration ttl) {
        return grant(grantId, WORKLOAD, taskId, issuedAt, ttl);
    }

    public static GrantIssued grant(String grantId, String workloadId, String taskId, Instant issuedAt, Duration ttl) {
        return GrantIssued.newBuilder()
                .setGrantId(grantId)
                .setRequestId("req-" + grantId)
                .setWorkloadId(workloadId)
                .setTaskId(taskId)
                .setEnvironment(ENVIRONMENT)
                .setResources(List.of(Resource.newBuilder()
                        .setType("http").setId("deploy-api").setActions(List.of("deploy")).build()))
                .setCredentialType("jwt")
                .setCredentialId("cred-" + grantId)
                .setIssuedAt(issuedAt)
                .setExpiresAt(issuedAt.plus(ttl))
                .build();
    }

    /** The same grant in another environment. */
    public static GrantIssued inEnvironment(GrantIssued grant, String environment) {
        return GrantIssued.newBuilder(grant).setEnvironment(environment).build();
    }

    /** The same grant, requiring a STARTED or HEARTBEAT of its task at least every {@code interval}. */
    public static GrantIssued withHeartbeat(GrantIssued grant, Duration interval) {
        return GrantIssued.newBuilder(grant).setHeartbeatIntervalSeconds(interval.toSeconds()).build();
    }

    /** A lifecycle event of a task of {@link #WORKLOAD}. */
    public static TaskEvent taskEvent(String eventId, String taskId, TaskEventType type, Instant occurredAt) {
        return taskEvent(eventId, WORKLOAD, taskId, type, occurredAt);
    }

    public static TaskEvent taskEvent(String eventId, String workloadId, String taskId, TaskEventType type,
                                      Instant occurredAt) {
        return TaskEvent.newBuilder()
                .setEventId(eventId)
                .setTaskId(taskId)
                .setWorkloadId(workloadId)
                .setType(type)
                .setOccurredAt(occurredAt)
                .build();
    }

    /** A context change of a workload; {@code environment} null means all of them. */
    public static ContextEvent contextEvent(String eventId, String workloadId, ContextEventType type, String environment,
                                            Instant occurredAt) {
        return ContextEvent.newBuilder()
                .setEventId(eventId)
                .setWorkloadId(workloadId)
                .setType(type)
                .setEnvironment(environment)
                .setReason("token replay seen from an unknown network")
                .setSource("anomaly-detector")
                .setOccurredAt(occurredAt)
                .build();
    }

    /** A GRANT request as request-service writes it: with the grant's task too ({@code "t-1"} here). */
    public static RevocationRequest grantRevocationRequest(String eventId, String workloadId, String grantId,
                                                           RevocationReason reason, Instant at) {
        return request(eventId, RevocationScope.GRANT, workloadId, "t-1", grantId, reason, at);
    }

    public static RevocationRequest taskRevocationRequest(String eventId, String workloadId, String taskId,
                                                          RevocationReason reason, Instant at) {
        return request(eventId, RevocationScope.TASK, workloadId, taskId, null, reason, at);
    }

    public static RevocationRequest workloadRevocationRequest(String eventId, String workloadId, RevocationReason reason,
                                                              Instant at) {
        return request(eventId, RevocationScope.WORKLOAD, workloadId, null, null, reason, at);
    }

    private static RevocationRequest request(String eventId, RevocationScope scope, String workloadId, String taskId,
                                             String grantId, RevocationReason reason, Instant at) {
        return RevocationRequest.newBuilder()
                .setEventId(eventId)
                .setScope(scope)
                .setWorkloadId(workloadId)
                .setTaskId(taskId)
                .setGrantId(grantId)
                .setReason(reason)
                .setDetail("incident INC-7")
                .setRequestedBy("spiffe://dev.local/sre/alice")
                .setRequestedAt(at)
                .build();
    }
}
