package io.jitbroker.revocation;

import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Resource;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.events.v1.TaskEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Events as the other services write them, with the ids a test chooses. */
public final class TestEvents {

    private TestEvents() {
    }

    /** A grant for task {@code taskId}, issued at {@code issuedAt}, valid for {@code ttl}. */
    public static GrantIssued grant(String grantId, String taskId, Instant issuedAt, Duration ttl) {
        return GrantIssued.newBuilder()
                .setGrantId(grantId)
                .setRequestId("req-" + grantId)
                .setWorkloadId("spiffe://dev.local/ci/deployer")
                .setTaskId(taskId)
                .setEnvironment("staging")
                .setResources(List.of(Resource.newBuilder()
                        .setType("http").setId("deploy-api").setActions(List.of("deploy")).build()))
                .setCredentialType("jwt")
                .setCredentialId("cred-" + grantId)
                .setIssuedAt(issuedAt)
                .setExpiresAt(issuedAt.plus(ttl))
                .build();
    }

    public static TaskEvent taskEvent(String eventId, String taskId, TaskEventType type, Instant occurredAt) {
        return TaskEvent.newBuilder()
                .setEventId(eventId)
                .setTaskId(taskId)
                .setWorkloadId("spiffe://dev.local/ci/deployer")
                .setType(type)
                .setOccurredAt(occurredAt)
                .build();
    }
}
