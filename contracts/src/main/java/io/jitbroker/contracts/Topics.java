package io.jitbroker.contracts;

import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.events.v1.AccessRequest;
import io.jitbroker.events.v1.Alert;
import io.jitbroker.events.v1.ApprovalDecision;
import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.PolicyBundle;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationEnforced;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.TaskEvent;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/** The catalogue of every topic: the only place a topic name is written down. */
public final class Topics {

    /** Constant-expression names, for annotations such as {@code @Topic(Topics.Names.GRANTS)}. */
    public static final class Names {
        public static final String ACCESS_REQUESTS = "jit.access-requests.v1";
        public static final String ACCESS_DECISIONS = "jit.access-decisions.v1";
        public static final String GRANTS = "jit.grants.v1";
        public static final String TASK_EVENTS = "jit.task-events.v1";
        public static final String CONTEXT_EVENTS = "jit.context-events.v1";
        public static final String POLICIES = "jit.policies.v1";
        public static final String REVOCATION_REQUESTS = "jit.revocation-requests.v1";
        public static final String REVOCATIONS = "jit.revocations.v1";
        public static final String ENFORCEMENTS = "jit.enforcements.v1";
        public static final String APPROVALS = "jit.approvals.v1";
        public static final String ALERTS = "jit.alerts.v1";
        public static final String DEAD_LETTERS = "jit.dead-letters.v1";

        private Names() {
        }
    }

    public static final Topic<AccessRequest> ACCESS_REQUESTS =
            new Topic<>(Names.ACCESS_REQUESTS, AccessRequest.class, "workloadId", false);
    public static final Topic<AccessDecision> ACCESS_DECISIONS =
            new Topic<>(Names.ACCESS_DECISIONS, AccessDecision.class, "requestId", false);
    public static final Topic<GrantIssued> GRANTS =
            new Topic<>(Names.GRANTS, GrantIssued.class, "grantId", false);
    public static final Topic<TaskEvent> TASK_EVENTS =
            new Topic<>(Names.TASK_EVENTS, TaskEvent.class, "taskId", false);
    public static final Topic<ContextEvent> CONTEXT_EVENTS =
            new Topic<>(Names.CONTEXT_EVENTS, ContextEvent.class, "workloadId", false);
    public static final Topic<PolicyBundle> POLICIES =
            new Topic<>(Names.POLICIES, PolicyBundle.class, "bundle name", true);
    public static final Topic<RevocationRequest> REVOCATION_REQUESTS =
            new Topic<>(Names.REVOCATION_REQUESTS, RevocationRequest.class, "workloadId", false);
    public static final Topic<Revocation> REVOCATIONS =
            new Topic<>(Names.REVOCATIONS, Revocation.class, "grantId", false);
    public static final Topic<RevocationEnforced> ENFORCEMENTS =
            new Topic<>(Names.ENFORCEMENTS, RevocationEnforced.class, "grantId", false);
    public static final Topic<ApprovalDecision> APPROVALS =
            new Topic<>(Names.APPROVALS, ApprovalDecision.class, "workloadId", false);
    public static final Topic<Alert> ALERTS =
            new Topic<>(Names.ALERTS, Alert.class, "workloadId", false);
    public static final Topic<DeadLetter> DEAD_LETTERS =
            new Topic<>(Names.DEAD_LETTERS, DeadLetter.class, "original key", false);

    public static final List<Topic<?>> ALL = List.of(
            ACCESS_REQUESTS, ACCESS_DECISIONS, GRANTS, TASK_EVENTS,
            CONTEXT_EVENTS, POLICIES, REVOCATION_REQUESTS, REVOCATIONS, ENFORCEMENTS, APPROVALS, ALERTS, DEAD_LETTERS);

    /** Every topic as it should be created; compacted topics get {@code cleanup.policy=compact}. */
    public static List<NewTopic> newTopics(int partitions, short replicationFactor) {
        return ALL.stream().map(topic -> {
            NewTopic newTopic = new NewTopic(topic.name(), partitions, replicationFactor);
            return topic.compacted()
                    ? newTopic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))
                    : newTopic;
        }).toList();
    }

    private Topics() {
    }
}
