package io.jitbroker.chaos.check;

import io.jitbroker.contracts.Topic;
import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.DecisionOutcome;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.TaskEventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the flow's topics held when the checker read them: every committed record from the beginning
 * to the end offsets of the start of the read, reduced to what the checks need, each with its
 * position and record timestamp (CreateTime: when its producer wrote it, unless the topic logs
 * append time). Records that did not decode are kept apart, as violations. Read with
 * {@link #read(String, String, Map)}; built directly in tests.
 */
public record TopicHistory(List<AccessRequested> accessRequests, List<Decided> decisions, List<Granted> grants,
                           List<TaskEnded> taskEnds, List<Revoked> revocations, List<Enforced> enforcements,
                           List<DeadLettered> deadLetters, List<Undecodable> undecodable) {

    /** The topics read, in this order. */
    public static final List<Topic<?>> TOPICS = List.of(Topics.ACCESS_REQUESTS, Topics.ACCESS_DECISIONS, Topics.GRANTS,
            Topics.TASK_EVENTS, Topics.REVOCATIONS, Topics.ENFORCEMENTS, Topics.DEAD_LETTERS);

    /** The task events that end a task (and revoke its grants). */
    public static final Set<TaskEventType> TASK_ENDS =
            Set.of(TaskEventType.COMPLETED, TaskEventType.FAILED, TaskEventType.CANCELLED);

    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    public TopicHistory {
        accessRequests = List.copyOf(accessRequests);
        decisions = List.copyOf(decisions);
        grants = List.copyOf(grants);
        taskEnds = List.copyOf(taskEnds);
        revocations = List.copyOf(revocations);
        enforcements = List.copyOf(enforcements);
        deadLetters = List.copyOf(deadLetters);
        undecodable = List.copyOf(undecodable);
    }

    /** Reads {@link #TOPICS} from a plaintext cluster. */
    public static TopicHistory read(String bootstrapServers, String registryUrl) {
        return read(bootstrapServers, registryUrl, Map.of());
    }

    /**
     * Reads {@link #TOPICS}: read_committed, no consumer group, each partition from its beginning to
     * its end offset (last stable offset) as it was when the read started.
     *
     * @param registryUrl           the registry's native API, e.g. {@code http://127.0.0.1:8085/apis/registry/v2}
     * @param extraClientProperties Kafka consumer properties laid over the checker's own (e.g. SASL login)
     * @throws IllegalStateException when the topics cannot be read to their end within two minutes
     */
    public static TopicHistory read(String bootstrapServers, String registryUrl, Map<String, Object> extraClientProperties) {
        try (HistoryDecoder decoder = new HistoryDecoder(registryUrl)) {
            new TopicReader(bootstrapServers, extraClientProperties).read(TOPICS, READ_TIMEOUT, decoder::accept);
            return decoder.history();
        }
    }

    /** Where a record is: topic, partition, offset, and its timestamp in epoch milliseconds. */
    public record Position(String topic, int partition, long offset, long timestampMillis) {

        /** {@code partition-offset}, as violation lines cite records. */
        @Override
        public String toString() {
            return partition + "-" + offset;
        }
    }

    /** An {@code AccessRequest} on jit.access-requests.v1. */
    public record AccessRequested(String requestId, String workloadId, String taskId, Position at) {
    }

    /** An {@code AccessDecision} on jit.access-decisions.v1. */
    public record Decided(String requestId, DecisionOutcome outcome, Position at) {
    }

    /** A {@code GrantIssued} on jit.grants.v1 (a redelivered decision may announce the same grant again). */
    public record Granted(String grantId, String requestId, String workloadId, String taskId, long expiresAtMillis,
                          Position at) {
    }

    /** A {@code TaskEvent} that ends its task ({@link #TASK_ENDS}) on jit.task-events.v1. */
    public record TaskEnded(String taskId, String workloadId, TaskEventType type, Position at) {
    }

    /** A {@code Revocation} on jit.revocations.v1. */
    public record Revoked(String grantId, String requestId, String taskId, RevocationReason reason, Position at) {
    }

    /** A {@code RevocationEnforced} on jit.enforcements.v1. */
    public record Enforced(String grantId, String backend, Position at) {
    }

    /** A {@code DeadLetter} on jit.dead-letters.v1; {@code key} is the rejected record's key. */
    public record DeadLettered(String key, String sourceTopic, int sourcePartition, long sourceOffset, String consumer,
                               String reason, Position at) {
    }

    /** A record whose value could not be decoded as its topic's type, and why. */
    public record Undecodable(Position at, String problem) {
    }

    /** A task, as revocation-service tells tasks apart: two workloads may reuse a task id. */
    public record TaskKey(String workloadId, String taskId) {
    }

    /**
     * When a grant's task end and its revocation were written, for time-to-revoke per fault window.
     *
     * @param taskEndAtMillis    timestamp of the first record ending the grant's task; 0 if none
     * @param revocationAtMillis timestamp of the grant's first revocation record; 0 if none
     * @param reason             that revocation's reason; null if none
     */
    public record GrantTiming(String grantId, String workloadId, String taskId, long taskEndAtMillis,
                              long revocationAtMillis, RevocationReason reason) {
    }

    /** Each grant once (its first announcement), in the order the grants were read. */
    public Map<String, Granted> grantsById() {
        return firstBy(grants, Granted::grantId);
    }

    /** The grants announced for each request, in the order read. */
    public Map<String, List<Granted>> grantsByRequest() {
        return groupBy(grants, Granted::requestId);
    }

    public Map<String, List<Decided>> decisionsByRequest() {
        return groupBy(decisions, Decided::requestId);
    }

    /** Revocation records of each grant, oldest timestamp first. */
    public Map<String, List<Revoked>> revocationsByGrant() {
        Map<String, List<Revoked>> byGrant = groupBy(revocations, Revoked::grantId);
        byGrant.values().forEach(list -> list.sort(Comparator.comparingLong(r -> r.at().timestampMillis())));
        return byGrant;
    }

    /** The first record (by timestamp) that ended each task. */
    public Map<TaskKey, TaskEnded> firstTaskEnds() {
        Map<TaskKey, TaskEnded> first = new LinkedHashMap<>();
        for (TaskEnded end : taskEnds) {
            first.merge(new TaskKey(end.workloadId(), end.taskId()), end,
                    (held, next) -> next.at().timestampMillis() < held.at().timestampMillis() ? next : held);
        }
        return first;
    }

    /** For each grant: when its task's end and its revocation were written. */
    public List<GrantTiming> grantTimings() {
        Map<TaskKey, TaskEnded> ends = firstTaskEnds();
        Map<String, List<Revoked>> revoked = revocationsByGrant();
        List<GrantTiming> timings = new ArrayList<>();
        for (Granted grant : grantsById().values()) {
            TaskEnded end = ends.get(new TaskKey(grant.workloadId(), grant.taskId()));
            List<Revoked> revocationsOfGrant = revoked.getOrDefault(grant.grantId(), List.of());
            Revoked first = revocationsOfGrant.isEmpty() ? null : revocationsOfGrant.get(0);
            timings.add(new GrantTiming(grant.grantId(), grant.workloadId(), grant.taskId(),
                    end == null ? 0 : end.at().timestampMillis(),
                    first == null ? 0 : first.at().timestampMillis(),
                    first == null ? null : first.reason()));
        }
        return timings;
    }

    private static <T> Map<String, List<T>> groupBy(List<T> items, Function<T, String> key) {
        return items.stream().collect(Collectors.groupingBy(key, LinkedHashMap::new, Collectors.toCollection(ArrayList::new)));
    }

    private static <T> Map<String, T> firstBy(List<T> items, Function<T, String> key) {
        Map<String, T> first = new LinkedHashMap<>();
        items.forEach(item -> first.putIfAbsent(key.apply(item), item));
        return first;
    }
}
