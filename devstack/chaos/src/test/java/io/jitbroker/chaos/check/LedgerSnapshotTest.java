package io.jitbroker.chaos.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.chaos.check.LedgerSnapshot.LedgerUnreachableException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LedgerSnapshotTest {

    private static final long ACCEPTED_AT = RunFixture.START;

    @RegisterExtension
    final FakeLedger ledger = new FakeLedger();

    @Test
    void shouldReadEachRequestByIdFromTheInstanceThatAnswersWhenTheOtherIsDown() {
        // given the first instance is down
        LedgerEntry revoked = new LedgerEntry("request-1", RunFixture.WORKLOAD, "load-run-1", "REVOKED", "grant-1",
                ACCEPTED_AT + 600_000, "TASK_COMPLETED", ACCEPTED_AT + 450);
        ledger.put(revoked);
        LedgerSnapshot snapshot = new LedgerSnapshot(List.of(FakeLedger.deadUrl(), ledger.url()), () -> FakeLedger.SRE_TOKEN);

        // when
        Map<String, LedgerEntry> entries = snapshot.read(List.of(flow(1)));

        // then
        assertEquals(Map.of("request-1", revoked), entries);
        assertEquals(List.of("/v1/access-requests/request-1"), ledger.calls());
    }

    @Test
    void shouldLeaveARequestOutWhenTheLedgerDoesNotKnowIt() {
        // given
        ledger.put(denied(1));
        LedgerSnapshot snapshot = new LedgerSnapshot(List.of(ledger.url()), () -> FakeLedger.SRE_TOKEN);

        // when
        Map<String, LedgerEntry> entries = snapshot.read(List.of(flow(1), flow(2)));

        // then
        assertEquals(Map.of("request-1", denied(1)), entries);
    }

    @Test
    void shouldPageThroughTheLedgerThenAskForWhatItMissedWhenManyRequestsAreRead() {
        // given 60 requests: the listing (two pages of 40) shows 59 of them and one of another run
        List<FlowObservation> flows = IntStream.rangeClosed(1, 60).mapToObj(LedgerSnapshotTest::flow).toList();
        IntStream.rangeClosed(1, 59).forEach(n -> ledger.put(denied(n)));
        ledger.put(denied(1_000));
        ledger.putUnlisted(denied(60));
        ledger.pageSize(40);
        LedgerSnapshot snapshot = new LedgerSnapshot(List.of(ledger.url()), () -> FakeLedger.SRE_TOKEN);

        // when
        Map<String, LedgerEntry> entries = snapshot.read(flows);

        // then
        assertEquals(IntStream.rangeClosed(1, 60).mapToObj(n -> "request-" + n).collect(Collectors.toSet()), entries.keySet());
        assertEquals(denied(60), entries.get("request-60"));
        List<String> calls = ledger.calls();
        assertEquals(3, calls.size(), calls.toString());
        assertEquals("/v1/access-requests/request-60", calls.get(2));
        Map<String, String> query = FakeLedger.query(URI.create(calls.get(0)));
        assertEquals("500", query.get("limit"));
        assertTrue(Instant.parse(query.get("from")).isBefore(Instant.ofEpochMilli(ACCEPTED_AT + 1_000)), query.toString());
        assertTrue(Instant.parse(query.get("to")).isAfter(Instant.ofEpochMilli(ACCEPTED_AT + 60_000)), query.toString());
        assertEquals("40", FakeLedger.query(URI.create(calls.get(1))).get("cursor"));
    }

    @Test
    void shouldFailWhenNoInstanceAnswers() {
        // given
        LedgerSnapshot snapshot = new LedgerSnapshot(List.of(FakeLedger.deadUrl(), FakeLedger.deadUrl()),
                () -> FakeLedger.SRE_TOKEN);

        // when
        LedgerUnreachableException failure = assertThrows(LedgerUnreachableException.class,
                () -> snapshot.read(List.of(flow(1))));

        // then
        assertTrue(failure.getMessage().contains("/v1/access-requests/request-1"), failure.getMessage());
    }

    @Test
    void shouldSaySoWhenTheTokenIsNotAnSres() {
        // given
        ledger.put(denied(1));
        LedgerSnapshot snapshot = new LedgerSnapshot(List.of(ledger.url()), () -> "a-workload-token");

        // when
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> snapshot.read(List.of(flow(1))));

        // then
        assertTrue(failure.getMessage().contains("answered 403: is the checker's token an SRE's"), failure.getMessage());
    }

    private static FlowObservation flow(int n) {
        return new FlowObservation(RunFixture.WORKLOAD, "load-run-" + n, "request-" + n, ACCEPTED_AT + n * 1_000L, null, 0,
                0, List.of());
    }

    private static LedgerEntry denied(int n) {
        return new LedgerEntry("request-" + n, RunFixture.WORKLOAD, "load-run-" + n, "DENIED", null, 0, null, 0);
    }
}
