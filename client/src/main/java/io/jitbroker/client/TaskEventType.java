package io.jitbroker.client;

/** What a task reports (POST /v1/tasks/{taskId}/events); the last three end the task and revoke its grants. */
public enum TaskEventType {
    STARTED, HEARTBEAT, COMPLETED, FAILED, CANCELLED
}
