package io.jitbroker.client;

/**
 * A revocation request as published: its scope (GRANT, TASK or WORKLOAD) and what it names.
 *
 * @param taskId  the task of scope TASK, or the grant's task for scope GRANT; null for scope WORKLOAD
 * @param grantId null unless the scope is GRANT
 */
public record RevocationAccepted(String eventId, String scope, String workloadId, String taskId, String grantId) {
}
