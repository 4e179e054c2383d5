package io.jitbroker.chaos.check;

import io.jitbroker.chaos.check.FlowObservation.Answer;
import io.jitbroker.chaos.check.FlowObservation.Introspection;
import io.jitbroker.chaos.check.TopicHistory.AccessRequested;
import io.jitbroker.chaos.check.TopicHistory.DeadLettered;
import io.jitbroker.chaos.check.TopicHistory.Decided;
import io.jitbroker.chaos.check.TopicHistory.Enforced;
import io.jitbroker.chaos.check.TopicHistory.Granted;
import io.jitbroker.chaos.check.TopicHistory.Position;
import io.jitbroker.chaos.check.TopicHistory.Revoked;
import io.jitbroker.chaos.check.TopicHistory.TaskEnded;
import io.jitbroker.chaos.check.TopicHistory.Undecodable;
import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.DecisionOutcome;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.TaskEventType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A run as the checker sees it, built by hand: the driver's flows, the topics' records and the
 * ledger. {@link #cleanFlow} adds a flow that ran its whole course; tests then add or take away one
 * thing. Times are fixed epoch milliseconds; the check is at {@link #CHECK_AT}.
 */
final class RunFixture {

    static final long START = 1_800_000_000_000L;
    static final long CHECK_AT = START + 120_000;
    static final String WORKLOAD = "spiffe://dev.local/load/w00001";
    static final long TTL_MILLIS = 600_000;

    /** The ids of one flow, and when (relative to nothing: absolute epoch ms) its steps happened. */
    record Flow(String requestId, String grantId, String taskId, long acceptedAt, long taskEndedAt, long revokedAt) {
    }

    final List<FlowObservation> flows = new ArrayList<>();
    final List<AccessRequested> accessRequests = new ArrayList<>();
    final List<Decided> decisions = new ArrayList<>();
    final List<Granted> grants = new ArrayList<>();
    final List<TaskEnded> taskEnds = new ArrayList<>();
    final List<Revoked> revocations = new ArrayList<>();
    final List<Enforced> enforcements = new ArrayList<>();
    final List<DeadLettered> deadLetters = new ArrayList<>();
    final List<Undecodable> undecodable = new ArrayList<>();
    final Map<String, LedgerEntry> ledger = new HashMap<>();
    final Set<String> injectedDeadLetterKeys = new HashSet<>();
    private final Map<String, Long> nextOffsets = new HashMap<>();

    /**
     * Flow {@code n}: accepted, approved, issued, picked up (introspected active), task COMPLETED,
     * revoked, enforced, introspected inactive, and the ledger says REVOKED.
     */
    Flow cleanFlow(int n) {
        Flow flow = issuedFlow(n, START + n * 1_000L + TTL_MILLIS);
        long endedAt = flow.acceptedAt() + 400;
        long revokedAt = endedAt + 50;
        flows.set(flows.size() - 1, observation(flow, endedAt, List.of(
                new Introspection(flow.acceptedAt() + 300, flow.acceptedAt() + 310, Answer.ACTIVE),
                new Introspection(revokedAt + 100, revokedAt + 110, Answer.INACTIVE))));
        taskEnds.add(new TaskEnded(flow.taskId(), WORKLOAD, TaskEventType.COMPLETED,
                at(Topics.TASK_EVENTS.name(), n % 3, endedAt)));
        revoke(flow, RevocationReason.TASK_COMPLETED, revokedAt);
        enforcements.add(new Enforced(flow.grantId(), "jwt-denylist", at(Topics.ENFORCEMENTS.name(), n % 3, revokedAt + 20)));
        return new Flow(flow.requestId(), flow.grantId(), flow.taskId(), flow.acceptedAt(), endedAt, revokedAt);
    }

    /** Flow {@code n}: accepted, approved, issued (expiring at {@code expiresAt}), picked up; its task never ended. */
    Flow issuedFlow(int n, long expiresAt) {
        Flow flow = new Flow("request-" + n, "grant-" + n, "load-run-" + n, START + n * 1_000L, 0, 0);
        flows.add(observation(flow, 0, List.of(
                new Introspection(flow.acceptedAt() + 300, flow.acceptedAt() + 310, Answer.ACTIVE))));
        accessRequests.add(new AccessRequested(flow.requestId(), WORKLOAD, flow.taskId(),
                at(Topics.ACCESS_REQUESTS.name(), n % 3, flow.acceptedAt() - 5)));
        decide(flow, DecisionOutcome.APPROVED, flow.acceptedAt() + 50);
        grant(flow, flow.grantId(), expiresAt, flow.acceptedAt() + 100);
        ledger.put(flow.requestId(), new LedgerEntry(flow.requestId(), WORKLOAD, flow.taskId(), "ISSUED", flow.grantId(),
                expiresAt, null, 0));
        return flow;
    }

    /** Flow {@code n}: accepted and denied; no grant. */
    Flow deniedFlow(int n) {
        Flow flow = new Flow("request-" + n, null, "load-run-" + n, START + n * 1_000L, 0, 0);
        flows.add(observation(flow, 0, List.of()));
        accessRequests.add(new AccessRequested(flow.requestId(), WORKLOAD, flow.taskId(),
                at(Topics.ACCESS_REQUESTS.name(), n % 3, flow.acceptedAt() - 5)));
        decide(flow, DecisionOutcome.DENIED, flow.acceptedAt() + 50);
        ledger.put(flow.requestId(), new LedgerEntry(flow.requestId(), WORKLOAD, flow.taskId(), "DENIED", null, 0, null, 0));
        return flow;
    }

    void decide(Flow flow, DecisionOutcome outcome, long at) {
        decisions.add(new Decided(flow.requestId(), outcome, at(Topics.ACCESS_DECISIONS.name(), partition(flow), at)));
    }

    void grant(Flow flow, String grantId, long expiresAt, long at) {
        grants.add(new Granted(grantId, flow.requestId(), WORKLOAD, flow.taskId(), expiresAt,
                at(Topics.GRANTS.name(), partition(flow), at)));
    }

    /** A revocation record of the flow's grant; the ledger follows (REVOKED, with its reason). */
    Revoked revoke(Flow flow, RevocationReason reason, long at) {
        Revoked revoked = new Revoked(flow.grantId(), flow.requestId(), flow.taskId(), reason,
                at(Topics.REVOCATIONS.name(), partition(flow), at));
        revocations.add(revoked);
        LedgerEntry entry = ledger.get(flow.requestId());
        ledger.put(flow.requestId(), new LedgerEntry(entry.requestId(), entry.workloadId(), entry.taskId(), "REVOKED",
                entry.grantId(), entry.expiresAtMillis(), reason.name(), at));
        return revoked;
    }

    /** Replaces the driver's observation of {@code flow} with one that saw these introspections. */
    void introspected(Flow flow, List<Introspection> introspections) {
        for (int i = 0; i < flows.size(); i++) {
            if (flow.requestId().equals(flows.get(i).requestId())) {
                flows.set(i, observation(flow, flows.get(i).taskEndedAtMillis(), introspections));
            }
        }
    }

    /** The ledger entry of {@code flow}, changed: status, grant id and revocation reason. */
    void ledgerSays(Flow flow, String status, String grantId, String revocationReason) {
        LedgerEntry entry = ledger.get(flow.requestId());
        ledger.put(flow.requestId(), new LedgerEntry(entry.requestId(), entry.workloadId(), entry.taskId(), status, grantId,
                entry.expiresAtMillis(), revocationReason, entry.revokedAtMillis()));
    }

    DeadLettered deadLetter(String key) {
        DeadLettered letter = new DeadLettered(key, Topics.TASK_EVENTS.name(), 1, 42, "revocation-service.v1",
                "undecodable value", at(Topics.DEAD_LETTERS.name(), 0, START + 5_000));
        deadLetters.add(letter);
        return letter;
    }

    Position at(String topic, int partition, long timestamp) {
        long offset = nextOffsets.merge(topic + "/" + partition, 1L, Long::sum) - 1;
        return new Position(topic, partition, offset, timestamp);
    }

    TopicHistory history() {
        return new TopicHistory(accessRequests, decisions, grants, taskEnds, revocations, enforcements, deadLetters,
                undecodable);
    }

    CheckResult judge() {
        return Verdict.judge(flows, history(), ledger, CHECK_AT, injectedDeadLetterKeys);
    }

    private static int partition(Flow flow) {
        return Math.abs(flow.requestId().hashCode()) % 3;
    }

    private static FlowObservation observation(Flow flow, long taskEndedAt, List<Introspection> introspections) {
        return observation(flow, taskEndedAt, 0, introspections);
    }

    private static FlowObservation observation(Flow flow, long taskEndedAt, long revocationReadAt,
                                               List<Introspection> introspections) {
        return new FlowObservation(WORKLOAD, flow.taskId(), flow.requestId(), flow.acceptedAt(), flow.grantId(),
                taskEndedAt, revocationReadAt, introspections);
    }

    /** Replaces the driver's observation of {@code flow} with one that read its revocation at {@code readAt}. */
    void revocationReadAt(Flow flow, long readAt, List<Introspection> introspections) {
        for (int i = 0; i < flows.size(); i++) {
            if (flows.get(i).taskId().equals(flow.taskId())) {
                flows.set(i, observation(flow, flows.get(i).taskEndedAtMillis(), readAt, introspections));
            }
        }
    }
}
