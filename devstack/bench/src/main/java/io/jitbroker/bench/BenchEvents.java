package io.jitbroker.bench;

import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Resource;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.events.v1.TaskEventType;
import java.time.Instant;
import java.util.List;

/**
 * The events a run sends, as an orchestrator and the issuer would: grant {@code i} belongs to task
 * {@code i} of one of {@value #WORKLOADS} workloads, and that task's events name the same workload.
 * Ids carry the run id and a series name so that two series (or two runs) never collide.
 */
final class BenchEvents {

    static final int WORKLOADS = 100;
    private static final List<Resource> RESOURCES = List.of(
            new Resource("http", "inventory-api", List.of("read", "write")));

    private final String runId;

    BenchEvents(String runId) {
        this.runId = runId;
    }

    String grantId(String series, long i) {
        return "grant-" + runId + "-" + series + "-" + i;
    }

    String taskId(String series, long i) {
        return "task-" + runId + "-" + series + "-" + i;
    }

    static String workloadId(long i) {
        return "spiffe://bench.local/workload/" + (i % WORKLOADS);
    }

    GrantIssued grant(String series, long i, Instant issuedAt, Instant expiresAt) {
        return GrantIssued.newBuilder()
                .setGrantId(grantId(series, i))
                .setRequestId("request-" + runId + "-" + series + "-" + i)
                .setWorkloadId(workloadId(i))
                .setTaskId(taskId(series, i))
                .setEnvironment("staging")
                .setResources(RESOURCES)
                .setCredentialType("jwt")
                .setCredentialId("credential-" + runId + "-" + series + "-" + i)
                .setIssuedAt(issuedAt)
                .setHeartbeatIntervalSeconds(null)
                .setExpiresAt(expiresAt)
                .build();
    }

    TaskEvent completion(String series, long i, Instant occurredAt) {
        return TaskEvent.newBuilder()
                .setEventId("event-" + runId + "-" + series + "-" + i)
                .setTaskId(taskId(series, i))
                .setWorkloadId(workloadId(i))
                .setType(TaskEventType.COMPLETED)
                .setOccurredAt(occurredAt)
                .build();
    }
}
