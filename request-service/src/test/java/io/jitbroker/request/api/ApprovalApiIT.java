package io.jitbroker.request.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.contracts.Topics;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.events.v1.ApprovalDecision;
import io.jitbroker.request.metrics.RequestMetrics;
import io.jitbroker.request.support.Api;
import io.jitbroker.request.support.Api.Reply;
import io.jitbroker.request.support.Closing;
import io.jitbroker.request.support.Decisions;
import io.jitbroker.request.support.Events;
import io.jitbroker.request.support.LogCapture;
import io.jitbroker.request.support.RunningService;
import io.jitbroker.request.support.TopicProbe;
import io.jitbroker.testkit.Tokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SREs approve and deny requests that wait for approval, on real Kafka, registry, PostgreSQL and
 * identity provider. The test plays policy-service: it writes the decisions the ledger follows.
 */
class ApprovalApiIT {

    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final String BUILDER = "spiffe://dev.local/ci/builder";
    private static final String DETECTOR = "spiffe://dev.local/security/edr";
    private static final String SRE = "spiffe://dev.local/sre/alice";
    private static final String OTHER_SRE = "spiffe://dev.local/sre/bob";
    private static final String APPROVALS = "/v1/approvals";

    private static Infrastructure infra;
    private static RunningService service;
    private static Api api;
    private static LogCapture audit;
    private static Tokens tokens;
    private static MeterRegistry meters;
    private static Events events;
    private static TopicProbe<ApprovalDecision> approvals;
    /** Waits for approval for good (no policy-service here answers): the refusals are tried on it. */
    private static Request marker;

    @BeforeAll
    static void start() {
        infra = Infrastructure.startForTests();
        infra.kafka().createTopics(Topics.newTopics(3, (short) 1));
        service = RunningService.start(infra,
                Map.of("JIT_SRE_WORKLOADS", SRE + "," + OTHER_SRE, "JIT_DETECTOR_WORKLOADS", DETECTOR), Map.of());
        api = new Api(service);
        tokens = new Tokens(infra.identityProvider());
        meters = service.context().getBean(MeterRegistry.class);
        events = Events.connect(infra);
        approvals = TopicProbe.onTopic(infra, Topics.APPROVALS);
        audit = LogCapture.attach("jit.audit");
        marker = waitingForApproval(submit(DEPLOYER, false));
    }

    @AfterAll
    static void stop() {
        Closing.inOrder(audit, approvals, events, service, infra);
    }

    @BeforeEach
    void forgetEarlierRecords() {
        approvals.skipToEnd();
        audit.clear();
    }

    // ---- approving and denying ----

    @Test
    void shouldAcceptExactlyOneAnswerAndRefuseTheOthersWith409WhenSresAnswerAtOnce() throws Exception {
        // given: one request waiting, and five answers sent at the same moment
        Request request = waitingForApproval(submit(DEPLOYER, false));
        List<String> sreTokens = List.of(tokens.valid(SRE), tokens.valid(OTHER_SRE));
        ExecutorService pool = Executors.newFixedThreadPool(5);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Reply>> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String token = sreTokens.get(i % 2);
            boolean approve = i % 2 == 0;
            answers.add(pool.submit(() -> {
                start.await();
                return api.post(approvalOf(request), token, "{\"approve\":" + approve + ",\"reason\":\"answer\"}");
            }));
        }

        // when
        start.countDown();
        List<Reply> replies = new ArrayList<>();
        for (Future<Reply> answer : answers) {
            replies.add(answer.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();

        // then exactly one is accepted and published
        List<Reply> accepted = replies.stream().filter(r -> r.status() == 202).toList();
        assertEquals(1, accepted.size(), replies.toString());
        assertEquals(4, replies.stream().filter(r -> r.status() == 409 && r.body().contains("already_answered")).count(),
                replies.toString());
        String eventId = (String) api.json(accepted.get(0).body()).get("eventId");
        List<ConsumerRecord<String, ApprovalDecision>> published = approvals.awaitRecord(r -> r.value().getEventId().equals(eventId));
        assertEquals(1, published.stream().filter(r -> r.value().getRequestId().equals(request.id())).count(),
                published.toString());
        // and the audit says one was accepted and four refused
        List<String> lines = audit.lines();
        assertEquals(1, lines.stream().filter(l -> l.contains("accepted") && l.contains(request.id())).count(), lines.toString());
        assertEquals(4, lines.stream().filter(l -> l.contains("approval refused") && l.contains(request.id())).count(),
                lines.toString());
    }

    @Test
    void shouldPublishExactlyOneApprovalDecisionAndLeaveTheLedgerToPolicyWhenAnSreApproves() {
        // given
        Request request = waitingForApproval(submit(DEPLOYER, false));
        String token = tokens.valid(SRE);
        double before = meters.counter(RequestMetrics.APPROVALS, "outcome", "approved").count();
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        // when
        Reply reply = api.post(approvalOf(request), token, """
                {"approve":true,"reason":"INC-7 hotfix, diff reviewed"}""");

        // then the answer names what was published
        assertEquals(202, reply.status(), reply.body());
        Map<String, Object> accepted = api.json(reply.body());
        String eventId = (String) accepted.get("eventId");
        assertEquals(Map.of("requestId", request.id(), "approve", true, "eventId", eventId), accepted);
        // and exactly that one ApprovalDecision is on the topic, keyed by the request's workload
        List<ConsumerRecord<String, ApprovalDecision>> published =
                approvals.awaitRecord(r -> r.value().getEventId().equals(eventId));
        assertEquals(1, published.size(), published.toString());
        assertEquals(request.workload(), published.get(0).key());
        ApprovalDecision approval = published.get(0).value();
        assertEquals(request.id(), approval.getRequestId());
        assertEquals(DEPLOYER, approval.getWorkloadId());
        assertTrue(approval.getApproved());
        assertEquals("INC-7 hotfix, diff reviewed", approval.getReason());
        assertEquals(SRE, approval.getDecidedBy());
        assertFalse(approval.getDecidedAt().isBefore(start), approval.getDecidedAt().toString());
        assertIsUuid(eventId);
        // and the outcome is policy-service's to write, not ours
        assertEquals("PENDING_APPROVAL", read(request).get("status"));
        assertEquals(before + 1, meters.counter(RequestMetrics.APPROVALS, "outcome", "approved").count());
        String line = audit.lineFor(eventId);
        assertTrue(line.contains(SRE) && line.contains(request.id()) && line.contains("INC-7 hotfix, diff reviewed"), line);
        assertFalse(line.contains(token), line);
    }

    @Test
    void shouldPublishADenialWhenAnSreDenies() {
        // given
        Request request = waitingForApproval(submit(BUILDER, false));
        double before = meters.counter(RequestMetrics.APPROVALS, "outcome", "denied").count();

        // when
        Reply reply = api.post(approvalOf(request), tokens.valid(OTHER_SRE), """
                {"approve":false,"reason":"not during the change freeze"}""");

        // then
        assertEquals(202, reply.status(), reply.body());
        assertEquals(false, api.json(reply.body()).get("approve"));
        String eventId = (String) api.json(reply.body()).get("eventId");
        ApprovalDecision approval = approvals.awaitRecord(r -> r.value().getEventId().equals(eventId)).get(0).value();
        assertFalse(approval.getApproved());
        assertEquals(BUILDER, approval.getWorkloadId());
        assertEquals(OTHER_SRE, approval.getDecidedBy());
        assertEquals("not during the change freeze", approval.getReason());
        assertEquals(before + 1, meters.counter(RequestMetrics.APPROVALS, "outcome", "denied").count());
    }

    // ---- refusals: nothing published ----

    @Test
    void shouldAnswer409NamingTheStatusAndPublishNothingWhenTheRequestDoesNotWaitForApproval() {
        // given a request policy has not decided yet
        Request request = submit(DEPLOYER, false);

        // when
        Reply reply = api.post(approvalOf(request), tokens.valid(SRE), """
                {"approve":true,"reason":"looks fine"}""");

        // then
        assertEquals(409, reply.status(), reply.body());
        Map<String, Object> error = api.json(reply.body());
        assertEquals("not_pending_approval", error.get("error"));
        assertTrue(((String) error.get("message")).contains("is PENDING, not PENDING_APPROVAL"), reply.body());
        assertEquals(List.of(), approvalsBeforeAMarker());
    }

    @Test
    void shouldAnswer409WhenTheRequestWasAlreadyApproved() {
        // given
        Request request = waitingForApproval(submit(DEPLOYER, false));
        events.send(Topics.ACCESS_DECISIONS, request.id(), Decisions.afterApproval(request.id(), request.workload(),
                request.taskId(), true, OTHER_SRE, "fine", Instant.now()).build());
        awaitStatus(request, "APPROVED");

        // when
        Reply reply = api.post(approvalOf(request), tokens.valid(SRE), """
                {"approve":false,"reason":"second opinion"}""");

        // then
        assertEquals(409, reply.status(), reply.body());
        assertTrue(((String) api.json(reply.body()).get("message")).contains("is APPROVED"), reply.body());
        assertEquals(List.of(), approvalsBeforeAMarker());
    }

    static Stream<Arguments> nonSres() {
        return Stream.of(Arguments.of("a plain workload", BUILDER), Arguments.of("a detector", DETECTOR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonSres")
    void shouldAnswer403AndPublishNothingWhenSomeoneOtherThanAnSreApproves(String who, String caller) {
        // when
        Reply reply = api.post(approvalOf(marker), tokens.valid(caller), """
                {"approve":true,"reason":"trust me"}""");

        // then
        assertEquals(403, reply.status(), who + ": " + reply.body());
        assertEquals("forbidden", api.json(reply.body()).get("error"));
        assertEquals(List.of(), approvalsBeforeAMarker());
    }

    @Test
    void shouldAnswer403AndPublishNothingWhenAnSreApprovesItsOwnRequest() {
        // given an SRE's own request waiting for approval
        Request own = waitingForApproval(submit(SRE, false));

        // when
        Reply reply = api.post(approvalOf(own), tokens.valid(SRE), """
                {"approve":true,"reason":"I know what I am doing"}""");

        // then
        assertEquals(403, reply.status(), reply.body());
        Map<String, Object> error = api.json(reply.body());
        assertEquals("forbidden", error.get("error"));
        assertTrue(((String) error.get("message")).contains("its own identity made"), reply.body());
        assertEquals(List.of(), approvalsBeforeAMarker());
    }

    @Test
    void shouldAnswer404AndPublishNothingWhenTheRequestIsUnknown() {
        // when
        Reply reply = api.post("/v1/access-requests/" + UUID.randomUUID() + "/approval", tokens.valid(SRE), """
                {"approve":true,"reason":"INC-1"}""");

        // then
        assertEquals(404, reply.status(), reply.body());
        assertEquals("not_found", api.json(reply.body()).get("error"));
        assertEquals(List.of(), approvalsBeforeAMarker());
    }

    static Stream<Arguments> invalidApprovals() {
        return Stream.of(
                Arguments.of("missing reason", "reason", "{\"approve\":true}"),
                Arguments.of("blank reason", "reason", "{\"approve\":true,\"reason\":\"  \"}"),
                Arguments.of("missing approve", "approve", "{\"reason\":\"INC-1\"}"),
                Arguments.of("approve as text", "approve", "{\"approve\":\"yes\",\"reason\":\"INC-1\"}"),
                Arguments.of("unknown field", "decidedBy", "{\"approve\":true,\"reason\":\"r\",\"decidedBy\":\"" + OTHER_SRE + "\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidApprovals")
    void shouldAnswer400NamingTheFieldAndPublishNothingWhenAnApprovalBreaksARule(String what, String field, String body) {
        // when
        Reply reply = api.post(approvalOf(marker), tokens.valid(SRE), body);

        // then
        assertEquals(400, reply.status(), reply.body());
        Map<String, Object> error = api.json(reply.body());
        assertEquals("invalid_request", error.get("error"));
        assertTrue(((String) error.get("message")).contains(field), () -> what + ": " + error.get("message"));
        assertEquals(List.of(), approvalsBeforeAMarker());
    }

    @Test
    void shouldAnswer401AndPublishNothingWhenAnApprovalComesWithoutAToken() {
        // when
        Reply reply = api.post(approvalOf(marker), null, "{\"approve\":true,\"reason\":\"anonymous\"}");

        // then
        assertEquals(401, reply.status(), reply.body());
        assertEquals(List.of(), approvalsBeforeAMarker());
    }

    // ---- the SREs' queue ----

    @Test
    void shouldListTheRequestsWaitingForApprovalOldestFirstWhenAnSreAsks() {
        // given two waiting requests, the newer one break-glass, and two that do not wait
        Request older = waitingForApproval(submit(DEPLOYER, false));
        Request newer = waitingForApproval(submit(BUILDER, true));
        Request undecided = submit(DEPLOYER, false);
        Request approved = waitingForApproval(submit(DEPLOYER, false));
        events.send(Topics.ACCESS_DECISIONS, approved.id(), Decisions.afterApproval(approved.id(), approved.workload(),
                approved.taskId(), true, OTHER_SRE, "fine", Instant.now()).build());
        awaitStatus(approved, "APPROVED");
        Set<String> mine = Set.of(older.id(), newer.id(), undecided.id(), approved.id());

        // when
        Reply reply = api.get(APPROVALS + "?status=pending", tokens.valid(SRE));

        // then only the waiting ones, oldest first
        assertEquals(200, reply.status(), reply.body());
        List<Map<String, Object>> listed = approvalsIn(reply).stream().filter(a -> mine.contains(a.get("requestId"))).toList();
        assertEquals(List.of(older.id(), newer.id()), listed.stream().map(a -> a.get("requestId")).toList());
        Map<String, Object> first = listed.get(0);
        assertEquals(DEPLOYER, first.get("workloadId"));
        assertEquals(older.taskId(), first.get("taskId"));
        assertEquals("prod", first.get("environment"));
        assertEquals(List.of(Map.of("type", "postgres", "id", "orders-db", "actions", List.of("read"))), first.get("resources"));
        assertEquals("nightly report, INC-12", first.get("justification"));
        assertEquals(false, first.get("breakGlass"));
        assertEquals(older.deadline(), Instant.parse((String) first.get("approvalDeadline")));
        assertEquals(List.of(Decisions.APPROVAL_NEEDED), first.get("decisionReasons"));
        assertNotNull(first.get("requestedAt"));
        // and the break-glass one stands out
        Map<String, Object> second = listed.get(1);
        assertEquals(true, second.get("breakGlass"));
        assertEquals(List.of("BREAK-GLASS: " + Decisions.APPROVAL_NEEDED), second.get("decisionReasons"));
        // and the whole list is in order
        List<Instant> requestedAts = approvalsIn(reply).stream().map(a -> Instant.parse((String) a.get("requestedAt"))).toList();
        assertEquals(requestedAts.stream().sorted().toList(), requestedAts);
    }

    @Test
    void shouldListThePendingOnesWhenNoStatusIsGiven() {
        // when
        Reply reply = api.get(APPROVALS, tokens.valid(SRE));

        // then
        assertEquals(200, reply.status(), reply.body());
        assertTrue(approvalsIn(reply).stream().anyMatch(a -> marker.id().equals(a.get("requestId"))), reply.body());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonSres")
    void shouldAnswer403WhenSomeoneOtherThanAnSreListsApprovals(String who, String caller) {
        // when
        Reply reply = api.get(APPROVALS + "?status=pending", tokens.valid(caller));

        // then
        assertEquals(403, reply.status(), who + ": " + reply.body());
        assertEquals("forbidden", api.json(reply.body()).get("error"));
    }

    @Test
    void shouldAnswer400NamingStatusWhenAnotherListIsAsked() {
        // when
        Reply reply = api.get(APPROVALS + "?status=decided", tokens.valid(SRE));

        // then
        assertEquals(400, reply.status(), reply.body());
        assertEquals("invalid_request", api.json(reply.body()).get("error"));
        assertTrue(((String) api.json(reply.body()).get("message")).startsWith("status "), reply.body());
    }

    @Test
    void shouldExposeTheApprovalCounterWhenScraped() {
        // given
        approvalsBeforeAMarker();

        // when
        String metrics = service.http().retrieve(HttpRequest.GET("/prometheus"), String.class);

        // then
        assertTrue(metrics.contains("jit_approvals_total{outcome=\"approved\"}"), metrics);
    }

    // ---- helpers ----

    /** @param deadline the approval deadline policy set; null until it asked for an approval */
    private record Request(String id, String workload, String taskId, Instant deadline) {
    }

    private static Request submit(String workload, boolean breakGlass) {
        String taskId = "task-" + UUID.randomUUID();
        Reply reply = api.post("/v1/access-requests", tokens.valid(workload), """
                {"taskId":"%s","environment":"prod","resources":[{"type":"postgres","id":"orders-db","actions":["read"]}],
                 "ttlSeconds":900,"justification":"nightly report, INC-12","breakGlass":%s}""".formatted(taskId, breakGlass));
        assertEquals(202, reply.status(), reply.body());
        return new Request((String) api.json(reply.body()).get("requestId"), workload, taskId, null);
    }

    /** Plays policy-service: asks for an approval and waits until the ledger shows it. */
    private static Request waitingForApproval(Request request) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(15)).truncatedTo(ChronoUnit.MILLIS);
        boolean breakGlass = (Boolean) read(request).get("breakGlass");
        events.send(Topics.ACCESS_DECISIONS, request.id(), Decisions.pendingApproval(request.id(), request.workload(),
                request.taskId(), deadline, Instant.now()).setBreakGlass(breakGlass).build());
        awaitStatus(request, "PENDING_APPROVAL");
        return new Request(request.id(), request.workload(), request.taskId(), deadline);
    }

    private static String approvalOf(Request request) {
        return "/v1/access-requests/" + request.id() + "/approval";
    }

    private static Map<String, Object> read(Request request) {
        Reply reply = api.get("/v1/access-requests/" + request.id(), tokens.valid(SRE));
        assertEquals(200, reply.status(), reply.body());
        return api.json(reply.body());
    }

    private static void awaitStatus(Request request, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> status.equals(read(request).get("status")));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> approvalsIn(Reply reply) {
        return (List<Map<String, Object>>) api.json(reply.body()).get("approvals");
    }

    /** Approves a new marker request and returns the ids of every other approval published before it. */
    private static List<String> approvalsBeforeAMarker() {
        Request next = waitingForApproval(submit(DEPLOYER, false));
        Reply reply = api.post(approvalOf(next), tokens.valid(SRE), "{\"approve\":true,\"reason\":\"marker\"}");
        assertEquals(202, reply.status(), reply.body());
        String markerId = (String) api.json(reply.body()).get("eventId");
        return approvals.awaitRecord(r -> r.value().getEventId().equals(markerId)).stream()
                .map(r -> r.value().getEventId())
                .filter(id -> !id.equals(markerId))
                .toList();
    }

    private static void assertIsUuid(String eventId) {
        assertEquals(eventId, UUID.fromString(eventId).toString());
    }
}
