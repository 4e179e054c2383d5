package io.jitbroker.chaos.check;

import io.jitbroker.chaos.check.FlowObservation.Answer;
import io.jitbroker.chaos.check.FlowObservation.Introspection;
import io.jitbroker.chaos.check.TopicHistory.DeadLettered;
import io.jitbroker.chaos.check.TopicHistory.Decided;
import io.jitbroker.chaos.check.TopicHistory.Granted;
import io.jitbroker.chaos.check.TopicHistory.Revoked;
import io.jitbroker.chaos.check.TopicHistory.TaskEnded;
import io.jitbroker.chaos.check.TopicHistory.TaskKey;
import io.jitbroker.chaos.check.TopicHistory.Undecodable;
import io.jitbroker.events.v1.DecisionOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether a run kept every promise, judged from what the driver saw, what the topics hold and what the
 * ledger says; no I/O. The rules (counts as in {@link CheckResult}):
 * <ul>
 *   <li>lost: an accepted request the ledger does not know, or that is not DENIED or REVOKED (unless
 *   its grant is still live: issued, its task never ended, not expired more than {@link #EXPIRY_GRACE_MS}
 *   ago); a grant of an ended task (the driver's 202, or an end on jit.task-events.v1) with no revocation;
 *   a grant expired more than {@link #EXPIRY_GRACE_MS} before the check with no revocation (a request
 *   stuck at ISSUED because its grant was never revoked counts once, as that grant);</li>
 *   <li>doubled: a request with more than one final decision (PENDING_APPROVAL is not final), or more
 *   than one distinct grant; a grant with more than one revocation record;</li>
 *   <li>stale active: an introspection answered ACTIVE although sent after the grant's first revocation
 *   record; the longest such delay;</li>
 *   <li>unexpected dead letters: dead letters whose key the run did not inject, and records of the
 *   checked topics that did not decode (any consumer would have dead-lettered them);</li>
 *   <li>ledger mismatches: a ledger entry whose decision, grant id, revoked status or revocation
 *   reason disagrees with the topics. The ledger is read before the topics, so what it says must be
 *   there; what the topics hold and the ledger lacks counts only when older than
 *   {@link #LEDGER_LAG_ALLOWANCE_MS} at the check (the ledger is a projection and may trail).</li>
 * </ul>
 */
public final class Verdict {

    /** How long after a grant's expiresAt its TTL revocation may take. */
    public static final long EXPIRY_GRACE_MS = 30_000;
    /** How far the ledger may trail the topics at the check. */
    public static final long LEDGER_LAG_ALLOWANCE_MS = 5_000;

    private static final String REVOKED = "REVOKED";

    private final List<FlowObservation> flows;
    private final long checkedAtMillis;
    private final Set<String> injectedDeadLetterKeys;
    private final TopicHistory history;
    private final Map<String, LedgerEntry> ledger;
    private final Map<String, List<Decided>> decisionsByRequest;
    private final Map<String, List<Granted>> grantsByRequest;
    private final Map<String, Granted> grantsById;
    private final Map<String, List<Revoked>> revocationsByGrant;
    private final Map<TaskKey, TaskEnded> taskEnds;
    private final ViolationLines violations = new ViolationLines();
    private final Set<String> lostGrants = new HashSet<>();
    private int lost;
    private int doubled;
    private long staleActiveMaxMs;
    private int unexpectedDeadLetters;
    private int ledgerMismatches;

    private Verdict(List<FlowObservation> flows, TopicHistory history, Map<String, LedgerEntry> ledger,
                    long checkedAtMillis, Set<String> injectedDeadLetterKeys) {
        this.flows = flows;
        this.history = history;
        this.ledger = ledger;
        this.checkedAtMillis = checkedAtMillis;
        this.injectedDeadLetterKeys = new HashSet<>(injectedDeadLetterKeys);
        this.decisionsByRequest = history.decisionsByRequest();
        this.grantsByRequest = history.grantsByRequest();
        this.grantsById = history.grantsById();
        this.revocationsByGrant = history.revocationsByGrant();
        this.taskEnds = history.firstTaskEnds();
    }

    /**
     * @param ledger                 ledger entries by request id, read before the topics
     * @param checkedAtMillis        when the ledger was read (epoch ms)
     * @param injectedDeadLetterKeys keys of the dead letters the run caused on purpose (normally none)
     */
    public static CheckResult judge(List<FlowObservation> flows, TopicHistory history, Map<String, LedgerEntry> ledger,
                                    long checkedAtMillis, Set<String> injectedDeadLetterKeys) {
        return new Verdict(flows, history, ledger, checkedAtMillis, injectedDeadLetterKeys).result();
    }

    /**
     * Whether the ledger has nothing more to do for a request: it is DENIED or REVOKED, or its grant is
     * still live (issued, task not ended, not expired more than {@link #EXPIRY_GRACE_MS} before {@code nowMillis}).
     */
    static boolean settled(LedgerEntry entry, boolean taskEnded, long nowMillis) {
        return entry != null && (entry.terminal() || !taskEnded && entry.liveAt(nowMillis - EXPIRY_GRACE_MS));
    }

    private CheckResult result() {
        Map<String, FlowObservation> byRequest = new LinkedHashMap<>();
        flows.stream().filter(flow -> flow.requestId() != null).forEach(flow -> byRequest.putIfAbsent(flow.requestId(), flow));
        int accepted = (int) flows.stream().filter(flow -> flow.requestId() != null).count();
        judgeEndedTasks();
        judgeExpiredGrants();
        for (FlowObservation flow : byRequest.values()) {
            judgeLedgerReached(flow);
            judgeDecisionsAndGrants(flow);
            judgeLedgerAgrees(flow);
        }
        judgeDoubledRevocations();
        judgeStaleActive();
        judgeDeadLetters();
        return new CheckResult(flows.size(), accepted, lost, doubled, staleActiveMaxMs, unexpectedDeadLetters,
                ledgerMismatches, violations.lines());
    }

    private void judgeLedgerReached(FlowObservation flow) {
        LedgerEntry entry = ledger.get(flow.requestId());
        if (entry == null) {
            lost++;
            violations.add(request(flow) + " has no ledger entry");
        } else if (!settled(entry, taskEnded(flow), checkedAtMillis) && !lostGrants.contains(entry.grantId())) {
            lost++;
            violations.add(request(flow) + " is still " + entry.status() + " in the ledger"
                    + (entry.grantId() == null ? "" : " (grant " + entry.grantId() + ")"));
        }
    }

    private void judgeDecisionsAndGrants(FlowObservation flow) {
        List<Decided> finals = finalDecisions(flow.requestId());
        if (finals.size() > 1) {
            doubled++;
            violations.add(request(flow) + " decided " + finals.size() + " times (offsets "
                    + finals.stream().map(d -> d.at() + " " + d.outcome()).collect(Collectors.joining(", ")) + ")");
        }
        List<String> grantIds = grantIdsOf(flow.requestId());
        if (grantIds.size() > 1) {
            doubled++;
            violations.add(request(flow) + " was issued " + grantIds.size() + " grants ("
                    + grantIds.stream().map(id -> id + " at offset " + grantsById.get(id).at())
                    .collect(Collectors.joining(", ")) + ")");
        }
    }

    private void judgeLedgerAgrees(FlowObservation flow) {
        LedgerEntry entry = ledger.get(flow.requestId());
        if (entry == null) {
            return;
        }
        List<String> problems = new ArrayList<>();
        String expectedOutcome = switch (entry.status()) {
            case "DENIED" -> DecisionOutcome.DENIED.name();
            case "APPROVED", "ISSUED", REVOKED -> DecisionOutcome.APPROVED.name();
            default -> null;
        };
        List<Decided> finals = finalDecisions(flow.requestId());
        if (expectedOutcome != null && finals.isEmpty()) {
            problems.add("the ledger says " + entry.status() + " but no decision is on the topics");
        } else if (expectedOutcome != null && !finals.get(0).outcome().name().equals(expectedOutcome)) {
            problems.add("the ledger says " + entry.status() + " but the decision at offset " + finals.get(0).at()
                    + " is " + finals.get(0).outcome());
        }
        List<String> topicGrants = grantIdsOf(flow.requestId());
        if (entry.grantId() != null && !topicGrants.contains(entry.grantId())) {
            problems.add("the ledger names grant " + entry.grantId() + ", the topics "
                    + (topicGrants.isEmpty() ? "none" : String.join(", ", topicGrants)));
        } else if (entry.grantId() == null && !topicGrants.isEmpty()) {
            Granted issued = grantsById.get(topicGrants.get(0));
            if (settledOnTopics(issued.at())) {
                problems.add("the ledger names no grant, the topics issued " + issued.grantId() + " at offset " + issued.at());
            }
        }
        if (flow.grantId() != null && entry.grantId() != null && !flow.grantId().equals(entry.grantId())) {
            problems.add("the driver was given grant " + flow.grantId() + ", the ledger names " + entry.grantId());
        }
        String grantId = entry.grantId() != null ? entry.grantId() : topicGrants.size() == 1 ? topicGrants.get(0) : null;
        List<Revoked> revocations = grantId == null ? List.of() : revocationsByGrant.getOrDefault(grantId, List.of());
        boolean revokedInLedger = REVOKED.equals(entry.status());
        if (revokedInLedger && revocations.isEmpty()) {
            problems.add("the ledger says REVOKED but " + (grantId == null ? "no grant" : "grant " + grantId)
                    + " has no revocation on the topics");
        } else if (!revokedInLedger && !revocations.isEmpty() && settledOnTopics(revocations.get(0).at())) {
            problems.add("the ledger says " + entry.status() + " but grant " + grantId + " was revoked at offset "
                    + revocations.get(0).at());
        } else if (revokedInLedger && !revocations.get(0).reason().name().equals(entry.revocationReason())) {
            problems.add("the ledger's revocation reason is " + entry.revocationReason() + ", the topics' "
                    + revocations.get(0).reason() + " (offset " + revocations.get(0).at() + ")");
        }
        if (!problems.isEmpty()) {
            ledgerMismatches++;
            violations.add(request(flow) + ": " + String.join("; ", problems));
        }
    }

    private void judgeEndedTasks() {
        Map<TaskKey, String> ended = new LinkedHashMap<>();
        Map<TaskKey, Set<String>> grantsOfTask = new LinkedHashMap<>();
        for (Granted grant : grantsById.values()) {
            grantsOfTask.computeIfAbsent(new TaskKey(grant.workloadId(), grant.taskId()), key -> new LinkedHashSet<>())
                    .add(grant.grantId());
        }
        for (FlowObservation flow : flows) {
            TaskKey task = new TaskKey(flow.workloadId(), flow.taskId());
            if (flow.taskEndedAtMillis() > 0) {
                ended.putIfAbsent(task, "ended by the driver at " + Instant.ofEpochMilli(flow.taskEndedAtMillis()));
            }
            if (flow.grantId() != null) {
                grantsOfTask.computeIfAbsent(task, key -> new LinkedHashSet<>()).add(flow.grantId());
            }
        }
        taskEnds.forEach((task, end) -> ended.put(task, end.type() + " at offset " + end.at()));
        ended.forEach((task, how) -> {
            for (String grantId : grantsOfTask.getOrDefault(task, Set.of())) {
                if (!revocationsByGrant.containsKey(grantId)) {
                    markLost(grantId, "grant " + grantId + " of task " + task.taskId() + " (" + task.workloadId()
                            + ") has no revocation though its task ended (" + how + ")");
                }
            }
        });
    }

    private void judgeExpiredGrants() {
        for (Granted grant : grantsById.values()) {
            if (grant.expiresAtMillis() < checkedAtMillis - EXPIRY_GRACE_MS && !revocationsByGrant.containsKey(grant.grantId())) {
                markLost(grant.grantId(), "grant " + grant.grantId() + " of task " + grant.taskId() + " expired at "
                        + Instant.ofEpochMilli(grant.expiresAtMillis()) + " and has no revocation");
            }
        }
    }

    private void judgeDoubledRevocations() {
        revocationsByGrant.forEach((grantId, revocations) -> {
            if (revocations.size() > 1) {
                doubled++;
                violations.add("grant " + grantId + " of task " + revocations.get(0).taskId() + " revoked "
                        + revocations.size() + " times (offsets "
                        + revocations.stream().map(r -> r.at() + " " + r.reason()).collect(Collectors.joining(", ")) + ")");
            }
        });
    }

    private void judgeStaleActive() {
        for (FlowObservation flow : flows) {
            String grantId = flow.grantId();
            if (grantId == null && flow.requestId() != null && grantIdsOf(flow.requestId()).size() == 1) {
                grantId = grantIdsOf(flow.requestId()).get(0);
            }
            List<Revoked> revocations = grantId == null ? List.of() : revocationsByGrant.getOrDefault(grantId, List.of());
            if (revocations.isEmpty()) {
                continue;
            }
            Revoked first = revocations.get(0);
            // From when the revocation could be read: its record is stamped when the revoker wrote it, but
            // readers (read_committed) see it only once its transaction commits, as the driver did.
            long revokedAt = Math.max(first.at().timestampMillis(), flow.revocationReadAtMillis());
            long stalest = flow.introspections().stream()
                    .filter(call -> call.answer() == Answer.ACTIVE && call.sentAtMillis() > revokedAt)
                    .mapToLong(Introspection::sentAtMillis).max().orElse(revokedAt) - revokedAt;
            staleActiveMaxMs = Math.max(staleActiveMaxMs, stalest);
            if (stalest > CheckResult.STALE_ACTIVE_LIMIT_MS) {
                violations.add("the credential of grant " + grantId + " (task " + flow.taskId() + ") answered active "
                        + stalest + " ms after its revocation (" + first.reason() + " at offset " + first.at() + ")");
            }
        }
    }

    private void judgeDeadLetters() {
        for (DeadLettered letter : history.deadLetters()) {
            if (letter.key() == null || !injectedDeadLetterKeys.contains(letter.key())) {
                unexpectedDeadLetters++;
                violations.add("dead letter at offset " + letter.at() + " (key " + letter.key() + "): " + letter.consumer()
                        + " rejected " + letter.sourceTopic() + " partition " + letter.sourcePartition() + " offset "
                        + letter.sourceOffset() + ": " + letter.reason());
            }
        }
        for (Undecodable record : history.undecodable()) {
            unexpectedDeadLetters++;
            violations.add("undecodable record on " + record.at().topic() + " partition " + record.at().partition()
                    + " offset " + record.at().offset() + ": " + record.problem());
        }
    }

    private void markLost(String grantId, String line) {
        if (lostGrants.add(grantId)) {
            lost++;
            violations.add(line);
        }
    }

    private boolean taskEnded(FlowObservation flow) {
        return flow.taskEndedAtMillis() > 0 || taskEnds.containsKey(new TaskKey(flow.workloadId(), flow.taskId()));
    }

    /** Old enough at the check that the ledger must have followed it. */
    private boolean settledOnTopics(TopicHistory.Position at) {
        return at.timestampMillis() < checkedAtMillis - LEDGER_LAG_ALLOWANCE_MS;
    }

    private List<Decided> finalDecisions(String requestId) {
        return decisionsByRequest.getOrDefault(requestId, List.of()).stream()
                .filter(decision -> decision.outcome() != DecisionOutcome.PENDING_APPROVAL).toList();
    }

    /** Distinct grant ids announced for a request (a re-announcement of the same grant is no second grant). */
    private List<String> grantIdsOf(String requestId) {
        return grantsByRequest.getOrDefault(requestId, List.of()).stream().map(Granted::grantId).distinct().toList();
    }

    private static String request(FlowObservation flow) {
        return "request " + flow.requestId() + " (task " + flow.taskId() + ")";
    }
}
