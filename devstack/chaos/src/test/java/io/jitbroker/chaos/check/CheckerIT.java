package io.jitbroker.chaos.check;

import static io.jitbroker.chaos.check.TopicWriter.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.chaos.check.FlowObservation.Answer;
import io.jitbroker.chaos.check.FlowObservation.Introspection;
import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.DecisionOutcome;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.TaskEventType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The checker end to end: the real broker and registry for the topics, a real HTTP ledger (one of two
 * instances down) for request-service. The tests share the topics: none writes what another would
 * have to count.
 */
class CheckerIT {

    @RegisterExtension
    static final RealTopics INFRA = new RealTopics();

    @RegisterExtension
    final FakeLedger ledger = new FakeLedger();

    @Test
    void shouldWaitForTheLedgerToSettleThenPassWhenTheFlowRanItsCourse() {
        // given a flow on the topics, and a ledger that shows it ISSUED at first, REVOKED from its third read on
        TopicWriter writer = INFRA.writer();
        FlowEvents flow = FlowEvents.of("checker-1", Instant.now().truncatedTo(ChronoUnit.MILLIS));
        writer.send(Topics.ACCESS_REQUESTS, flow.workloadId(), flow.accessRequest());
        writer.send(Topics.ACCESS_DECISIONS, flow.requestId(), flow.decision(DecisionOutcome.APPROVED));
        writer.send(Topics.GRANTS, flow.grantId(), flow.grant());
        writer.send(Topics.TASK_EVENTS, flow.taskId(), flow.taskEvent(TaskEventType.COMPLETED));
        writer.transaction(true, List.of(
                record(Topics.REVOCATIONS, flow.grantId(), flow.revocation(RevocationReason.TASK_COMPLETED))));
        writer.send(Topics.ENFORCEMENTS, flow.grantId(), flow.enforcement(RevocationReason.TASK_COMPLETED));
        long revokedAt = flow.at().plusMillis(450).toEpochMilli();
        ledger.put(entry(flow, "ISSUED", null, 0));
        ledger.changeAfterReads(2, entry(flow, "REVOKED", RevocationReason.TASK_COMPLETED.name(), revokedAt));
        // the credential was active before anything was written (records carry the time they were written)
        long writtenAt = System.currentTimeMillis();
        FlowObservation observed = new FlowObservation(flow.workloadId(), flow.taskId(), flow.requestId(),
                flow.at().toEpochMilli(), flow.grantId(), flow.at().plusMillis(400).toEpochMilli(), 0, List.of(
                new Introspection(flow.at().toEpochMilli(), flow.at().toEpochMilli() + 10, Answer.ACTIVE),
                new Introspection(writtenAt, writtenAt + 10, Answer.INACTIVE)));

        // when
        CheckResult result = checker(Duration.ofSeconds(60)).check(List.of(observed), Set.of());

        // then
        assertTrue(result.passed(), result.toString());
        assertEquals(new CheckResult(1, 1, 0, 0, 0, 0, 0, List.of()), result);
        assertEquals(3, ledger.calls().size(), ledger.calls().toString());
    }

    @Test
    void shouldCountLostWhenTheLedgerDoesNotSettleBeforeTheDeadline() {
        // given an accepted request the ledger shows PENDING for ever (nothing on the topics)
        FlowEvents flow = FlowEvents.of("checker-2", Instant.now().truncatedTo(ChronoUnit.MILLIS));
        ledger.put(entry(flow, "PENDING", null, 0));
        FlowObservation observed = new FlowObservation(flow.workloadId(), flow.taskId(), flow.requestId(),
                flow.at().toEpochMilli(), null, 0, 0, List.of());

        // when the ledger is given 2 s
        CheckResult result = checker(Duration.ofSeconds(2)).check(List.of(observed), Set.of());

        // then it was read until the deadline, and the request counts as lost
        assertFalse(result.passed());
        assertEquals(1, result.lost(), result.toString());
        assertEquals(List.of("request " + flow.requestId() + " (task " + flow.taskId() + ") is still PENDING in the ledger"),
                result.violations());
        assertTrue(ledger.calls().size() >= 2, ledger.calls().toString());
    }

    private Checker checker(Duration settleTimeout) {
        return new Checker(INFRA.bootstrapServers(), INFRA.registryUrl(),
                List.of(FakeLedger.deadUrl(), ledger.url()), () -> FakeLedger.SRE_TOKEN, Map.of(), settleTimeout);
    }

    private static LedgerEntry entry(FlowEvents flow, String status, String revocationReason, long revokedAt) {
        return new LedgerEntry(flow.requestId(), flow.workloadId(), flow.taskId(), status,
                "PENDING".equals(status) ? null : flow.grantId(), "PENDING".equals(status) ? 0 : flow.expiresAt().toEpochMilli(),
                revocationReason, revokedAt);
    }
}
