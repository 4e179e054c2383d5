package io.jitbroker.request.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.contracts.Topics;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.events.v1.DenyCode;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.request.domain.LedgerQuery;
import io.jitbroker.request.domain.LedgerStatus;
import io.jitbroker.request.domain.PageRequest;
import io.jitbroker.request.persistence.LedgerQuerySql;
import io.jitbroker.request.persistence.SqlQuery;
import io.jitbroker.request.support.Api;
import io.jitbroker.request.support.Api.Reply;
import io.jitbroker.request.support.Closing;
import io.jitbroker.request.support.Database;
import io.jitbroker.request.support.Events;
import io.jitbroker.request.support.Lifecycle;
import io.jitbroker.request.support.Lifecycle.Request;
import io.jitbroker.request.support.RunningService;
import io.jitbroker.testkit.Tokens;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GET /v1/ledger on real Kafka, registry, PostgreSQL and identity provider: every filter, paging,
 * refusals, and the indexes behind the filters. The ledger is seeded once with requests in every
 * state; the test plays policy, issuer and revoker.
 */
class LedgerQueryIT {

    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final String BUILDER = "spiffe://dev.local/ci/builder";
    private static final String DETECTOR = "spiffe://dev.local/security/edr";
    private static final String SRE = "spiffe://dev.local/sre/alice";
    private static final String LEDGER = "/v1/ledger";

    private static Infrastructure infra;
    private static RunningService service;
    private static Api api;
    private static Tokens tokens;
    private static Events events;
    private static Lifecycle lifecycle;
    private static Database database;

    private static Request deniedInProd;
    private static Request activeInStaging;
    private static Request breakGlassRevokedByHand;
    private static Request waitingForApproval;
    private static Request expiredAndRevoked;
    private static Request undecided;
    private static Request expiredNotYetRevoked;
    /** Every seeded request, oldest first. */
    private static List<Request> all;
    /** After the last seeded request and before any a test adds: queries up to it see exactly the seed. */
    private static Instant seededUntil;

    @BeforeAll
    static void start() {
        infra = Infrastructure.startForTests();
        infra.kafka().createTopics(Topics.newTopics(3, (short) 1));
        service = RunningService.start(infra, Map.of("JIT_SRE_WORKLOADS", SRE, "JIT_DETECTOR_WORKLOADS", DETECTOR), Map.of());
        api = new Api(service);
        tokens = new Tokens(infra.identityProvider());
        events = Events.connect(infra);
        lifecycle = new Lifecycle(api, tokens, events, SRE);
        database = new Database(infra);
        seed();
    }

    @AfterAll
    static void stop() {
        Closing.inOrder(events, service, infra);
    }

    private static void seed() {
        deniedInProd = lifecycle.submit(DEPLOYER, "prod");
        lifecycle.deny(deniedInProd, DenyCode.NO_MATCHING_RULE);

        activeInStaging = lifecycle.submit(DEPLOYER, "staging");
        lifecycle.approve(activeInStaging, false);
        lifecycle.issue(activeInStaging, Duration.ofMinutes(10));

        breakGlassRevokedByHand = lifecycle.submit(BUILDER, "prod", true, "INC-99 prod is down, restoring orders");
        lifecycle.approve(breakGlassRevokedByHand, true);
        String grant = lifecycle.issue(breakGlassRevokedByHand, Duration.ofMinutes(10));
        lifecycle.revoke(breakGlassRevokedByHand, grant, RevocationReason.MANUAL, "INC-99 closed");

        waitingForApproval = lifecycle.submit(BUILDER, "dev");
        lifecycle.askForApproval(waitingForApproval);

        expiredAndRevoked = lifecycle.submit(DEPLOYER, "dev");
        lifecycle.approve(expiredAndRevoked, false);
        String expiring = lifecycle.issue(expiredAndRevoked, Duration.ofMinutes(10));
        lifecycle.revoke(expiredAndRevoked, expiring, RevocationReason.TTL_EXPIRED, "the grant reached its expiry");

        undecided = lifecycle.submit(BUILDER, "staging");

        expiredNotYetRevoked = lifecycle.submit(DEPLOYER, "prod");
        lifecycle.approve(expiredNotYetRevoked, false);
        lifecycle.issue(expiredNotYetRevoked, Duration.ofMillis(1));

        all = List.of(deniedInProd, activeInStaging, breakGlassRevokedByHand, waitingForApproval, expiredAndRevoked,
                undecided, expiredNotYetRevoked);
        seededUntil = Instant.now();
    }

    // ---- filters ----

    @Test
    void shouldListEveryEntryNewestFirstWhenNoFilterIsGiven() {
        // when
        Map<String, Object> page = seeded("");

        // then
        assertEquals(ids(newestFirst(all)), idsIn(page));
        assertNull(page.get("nextCursor"));
    }

    static Stream<Arguments> filters() {
        return Stream.of(
                Arguments.of("workloadId", "workloadId=" + encode(DEPLOYER),
                        (Picker) () -> List.of(deniedInProd, activeInStaging, expiredAndRevoked, expiredNotYetRevoked)),
                Arguments.of("taskId", "taskId=" + encode(breakGlassRevokedByHand.taskId()),
                        (Picker) () -> List.of(breakGlassRevokedByHand)),
                Arguments.of("environment", "environment=prod",
                        (Picker) () -> List.of(deniedInProd, breakGlassRevokedByHand, expiredNotYetRevoked)),
                Arguments.of("status", "status=REVOKED", (Picker) () -> List.of(breakGlassRevokedByHand, expiredAndRevoked)),
                Arguments.of("status PENDING_APPROVAL", "status=PENDING_APPROVAL", (Picker) () -> List.of(waitingForApproval)),
                Arguments.of("reason: a deny code", "reason=NO_MATCHING_RULE", (Picker) () -> List.of(deniedInProd)),
                Arguments.of("reason: a revocation reason", "reason=TTL_EXPIRED", (Picker) () -> List.of(expiredAndRevoked)),
                Arguments.of("reason: manual", "reason=MANUAL", (Picker) () -> List.of(breakGlassRevokedByHand)),
                Arguments.of("breakGlass=true", "breakGlass=true", (Picker) () -> List.of(breakGlassRevokedByHand)),
                Arguments.of("breakGlass=false", "breakGlass=false", (Picker) () -> all.stream()
                        .filter(r -> r != breakGlassRevokedByHand).toList()),
                Arguments.of("active: issued, not revoked, not expired", "active=true",
                        (Picker) () -> List.of(activeInStaging)),
                Arguments.of("filters combine", "workloadId=" + encode(BUILDER) + "&status=PENDING_APPROVAL",
                        (Picker) () -> List.of(waitingForApproval)),
                Arguments.of("nothing matches", "workloadId=" + encode(DEPLOYER) + "&reason=MANUAL", (Picker) List::of));
    }

    /** Picks the expected entries once the ledger is seeded (arguments are built before it is). */
    interface Picker {
        List<Request> expected();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void shouldListOnlyTheMatchingEntriesNewestFirstWhenFiltered(String filter, String parameters, Picker picker) {
        // when
        Map<String, Object> page = seeded(parameters);

        // then
        assertEquals(ids(newestFirst(picker.expected())), idsIn(page), filter);
    }

    @Test
    void shouldListTheEntriesRequestedFromInclusiveToExclusiveWhenATimeRangeIsGiven() {
        // given
        String from = requestedAt(breakGlassRevokedByHand);
        String to = requestedAt(undecided);

        // when
        Map<String, Object> page = query("from=" + encode(from) + "&to=" + encode(to));

        // then
        assertEquals(ids(newestFirst(List.of(breakGlassRevokedByHand, waitingForApproval, expiredAndRevoked))), idsIn(page));
    }

    @Test
    void shouldAcceptAnOffsetInTheTimeRangeWhenItIsEncoded() {
        // given the same instant as undecided's, written two hours ahead
        String to = Instant.parse(requestedAt(undecided)).atOffset(java.time.ZoneOffset.ofHours(2)).toString();

        // when
        Map<String, Object> page = query("to=" + encode(to));

        // then
        assertEquals(ids(newestFirst(all.subList(0, all.indexOf(undecided)))), idsIn(page));
    }

    @Test
    void shouldShowEachEntryExactlyAsTheSingleEntryViewDoes() {
        // when
        Map<String, Object> page = seeded("taskId=" + encode(breakGlassRevokedByHand.taskId()));

        // then
        Map<String, Object> single = lifecycle.read(breakGlassRevokedByHand);
        assertEquals(List.of(single), page.get("entries"));
        assertEquals(true, single.get("breakGlass"));
        assertEquals("MANUAL", single.get("revocationReason"));
    }

    // ---- paging ----

    @Test
    void shouldWalkTheWholeLedgerOncePageByPageWhenFollowingTheCursor() {
        // when
        List<String> walked = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> page = seeded("limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            walked.addAll(idsIn(page));
            sizes.add(idsIn(page).size());
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);

        // then
        assertEquals(ids(newestFirst(all)), walked);
        assertEquals(List.of(2, 2, 2, 1), sizes);
    }

    @Test
    void shouldNeitherRepeatNorSkipAnEntryWhenNewRequestsArriveBetweenPages() {
        // given the first page of DEPLOYER's entries
        String deployer = "workloadId=" + encode(DEPLOYER);
        Map<String, Object> first = query(deployer + "&limit=2");

        // when a new request arrives before the next page is read
        Request newer = lifecycle.submit(DEPLOYER, "dev");
        Map<String, Object> second = query(deployer + "&limit=2&cursor=" + first.get("nextCursor"));

        // then the walk is the ledger as it was when it began
        List<String> walked = new ArrayList<>(idsIn(first));
        walked.addAll(idsIn(second));
        assertEquals(ids(newestFirst(List.of(deniedInProd, activeInStaging, expiredAndRevoked, expiredNotYetRevoked))),
                walked);
        assertNull(second.get("nextCursor"));
        // and the newcomer is at the top of a fresh walk
        assertEquals(newer.id(), idsIn(query(deployer + "&limit=1")).get(0));
    }

    @Test
    void shouldReturnFiftyEntriesByDefault() {
        // given more than fifty entries
        for (int i = 0; i <= PageRequest.DEFAULT_LIMIT; i++) {
            lifecycle.submit(DETECTOR, "dev");
        }

        // when
        Map<String, Object> page = query("workloadId=" + encode(DETECTOR));

        // then
        assertEquals(PageRequest.DEFAULT_LIMIT, idsIn(page).size());
        assertNotNull(page.get("nextCursor"));
    }

    // ---- refusals ----

    static Stream<Arguments> badParameters() {
        return Stream.of(
                Arguments.of("workloadId", "workloadId=deployer"),
                Arguments.of("taskId", "taskId=" + encode("a task")),
                Arguments.of("environment", "environment=" + "e".repeat(65)),
                Arguments.of("status", "status=DONE"),
                Arguments.of("reason", "reason=BECAUSE"),
                Arguments.of("breakGlass", "breakGlass=yes"),
                Arguments.of("active", "active=false"),
                Arguments.of("from", "from=yesterday"),
                Arguments.of("from", "from=2026-11-23T10:00:00"),
                Arguments.of("to", "from=2026-11-23T10:00:00Z&to=2026-11-23T09:00:00Z"),
                Arguments.of("limit", "limit=0"),
                Arguments.of("limit", "limit=501"),
                Arguments.of("limit", "limit=ten"),
                Arguments.of("cursor", "cursor=not-a-cursor"),
                Arguments.of("workload", "workload=" + encode(DEPLOYER)),
                Arguments.of("status", "status=ISSUED&status=REVOKED"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badParameters")
    void shouldAnswer400NamingTheParameterWhenAParameterIsInvalid(String parameter, String parameters) {
        // when
        Reply reply = api.get(LEDGER + "?" + parameters, tokens.valid(SRE));

        // then
        assertEquals(400, reply.status(), reply.body());
        Map<String, Object> error = api.json(reply.body());
        assertEquals("invalid_request", error.get("error"));
        String message = (String) error.get("message");
        assertTrue(message.startsWith(parameter + " ") || message.contains("'" + parameter + "'"), message);
    }

    static Stream<Arguments> nonSres() {
        return Stream.of(Arguments.of("a plain workload", DEPLOYER), Arguments.of("a detector", DETECTOR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonSres")
    void shouldAnswer403WhenSomeoneOtherThanAnSreQueriesTheLedger(String who, String caller) {
        // when, even with its own workload as the filter
        Reply reply = api.get(LEDGER + "?workloadId=" + encode(caller), tokens.valid(caller));

        // then
        assertEquals(403, reply.status(), who + ": " + reply.body());
        assertEquals("forbidden", api.json(reply.body()).get("error"));
    }

    @Test
    void shouldAnswer403BeforeLookingAtTheParametersWhenTheCallerIsNotAnSre() {
        // when
        Reply reply = api.get(LEDGER + "?limit=9999", tokens.valid(DEPLOYER));

        // then
        assertEquals(403, reply.status(), reply.body());
    }

    @Test
    void shouldAnswer401WhenTheLedgerIsQueriedWithoutAToken() {
        // when
        Reply reply = api.get(LEDGER, null);

        // then
        assertEquals(401, reply.status(), reply.body());
    }

    // ---- the indexes behind the filters ----

    static Stream<Arguments> indexedQueries() {
        Instant now = Instant.now();
        PageRequest page = new PageRequest(50, null);
        return Stream.of(
                Arguments.of("workloadId", new LedgerQuery(DEPLOYER, null, null, null, null, null, null, null, null, page),
                        "access_request_workload_idx"),
                Arguments.of("taskId", new LedgerQuery(null, "task-1", null, null, null, null, null, null, null, page),
                        "access_request_task_requested_idx"),
                Arguments.of("environment", new LedgerQuery(null, null, "prod", null, null, null, null, null, null, page),
                        "access_request_environment_idx"),
                Arguments.of("status", new LedgerQuery(null, null, null, LedgerStatus.REVOKED, null, null, null, null, null,
                        page), "access_request_status_idx"),
                Arguments.of("reason (deny codes)", new LedgerQuery(null, null, null, null, "EXPIRED", null, null, null, null,
                        page), "access_request_deny_code_idx"),
                Arguments.of("reason (revocation reasons)", new LedgerQuery(null, null, null, null, "EXPIRED", null, null,
                        null, null, page), "access_request_revocation_reason_idx"),
                Arguments.of("breakGlass", new LedgerQuery(null, null, null, null, null, true, null, null, null, page),
                        "access_request_break_glass_idx"),
                Arguments.of("active", new LedgerQuery(null, null, null, null, null, null, now, null, null, page),
                        "access_request_status_idx"),
                Arguments.of("time range", new LedgerQuery(null, null, null, null, null, null, null,
                        now.minusSeconds(60), now, page), "access_request_requested_idx"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("indexedQueries")
    void shouldReadAnIndexWhenFiltering(String filter, LedgerQuery query, String index) throws SQLException {
        // given
        SqlQuery sql = LedgerQuerySql.of(query);

        // when the planner is told a table scan is the last resort (the seeded table is tiny)
        String plan = explain(sql);

        // then
        assertTrue(plan.contains(index), filter + " does not use " + index + ":\n" + plan);
    }

    // ---- helpers ----

    /** The query limited to the seeded requests. */
    private static Map<String, Object> seeded(String parameters) {
        return query((parameters.isEmpty() ? "" : parameters + "&") + "to=" + encode(seededUntil.toString()));
    }

    private static Map<String, Object> query(String parameters) {
        Reply reply = api.get(LEDGER + (parameters.isEmpty() ? "" : "?" + parameters), tokens.valid(SRE));
        assertEquals(200, reply.status(), reply.body());
        return api.json(reply.body());
    }

    @SuppressWarnings("unchecked")
    private static List<String> idsIn(Map<String, Object> page) {
        List<String> ids = ((List<Map<String, Object>>) page.get("entries")).stream()
                .map(entry -> (String) entry.get("requestId"))
                .toList();
        assertEquals(ids.size(), new HashSet<>(ids).size(), "an entry appears twice: " + ids);
        return ids;
    }

    private static List<String> ids(List<Request> requests) {
        return requests.stream().map(Request::id).toList();
    }

    /** Newest first as the ledger orders: by requestedAt, then request id, both descending. */
    private static List<Request> newestFirst(List<Request> requests) {
        Comparator<Request> oldestFirst = Comparator.<Request, Instant>comparing(r -> Instant.parse(requestedAt(r)))
                .thenComparing(Request::id);
        return requests.stream().sorted(oldestFirst.reversed()).toList();
    }

    private static String requestedAt(Request request) {
        return (String) lifecycle.read(request).get("requestedAt");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String explain(SqlQuery sql) throws SQLException {
        try (Connection connection = database.connect()) {
            try (Statement settings = connection.createStatement()) {
                settings.execute("SET enable_seqscan = off");
            }
            try (PreparedStatement statement = connection.prepareStatement("EXPLAIN " + sql.sql())) {
                sql.bind(statement);
                StringBuilder plan = new StringBuilder();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        plan.append(rows.getString(1)).append('\n');
                    }
                }
                return plan.toString();
            }
        }
    }
}
