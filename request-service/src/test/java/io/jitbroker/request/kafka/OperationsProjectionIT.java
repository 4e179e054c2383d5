package io.jitbroker.request.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.contracts.DeadLetters;
import io.jitbroker.contracts.Topics;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.events.v1.Alert;
import io.jitbroker.events.v1.AlertKind;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.request.support.Api;
import io.jitbroker.request.support.Api.Reply;
import io.jitbroker.request.support.Closing;
import io.jitbroker.request.support.Database;
import io.jitbroker.request.support.Events;
import io.jitbroker.request.support.LogCapture;
import io.jitbroker.request.support.Prometheus;
import io.jitbroker.request.support.RawRecords;
import io.jitbroker.request.support.RunningService;
import io.jitbroker.request.support.TcpProxy;
import io.jitbroker.request.support.TopicProbe;
import io.jitbroker.testkit.Tokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dead-letter and alert projections, and GET /v1/dead-letters and /v1/alerts, on real
 * infrastructure: the test publishes the records other services would.
 */
class OperationsProjectionIT {

    private static final String SRE = "spiffe://dev.local/sre/alice";
    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final String ISSUER = "issuer-service.v1";
    private static final String SECRET = "password=hunter2-do-not-store";
    /** Far ahead, so that these dead letters are the newest whatever else the other tests publish. */
    private static final Instant FUTURE = Instant.parse("2100-01-01T00:00:00Z");

    private static Infrastructure infra;
    /** The service reaches PostgreSQL through it, so that a test can take the database away. */
    private static TcpProxy postgres;
    private static RunningService service;
    private static Api api;
    private static Tokens tokens;
    private static Events events;
    private static RawRecords raw;
    private static Database database;
    private static TopicProbe<DeadLetter> deadLetterTopic;
    /** Distinct source offsets, so that tests never collide on the dead letters' unique key. */
    private static final AtomicLong OFFSETS = new AtomicLong(1000);

    @BeforeAll
    static void start() {
        infra = Infrastructure.startForTests();
        infra.kafka().createTopics(Topics.newTopics(3, (short) 1));
        postgres = TcpProxy.to(infra.postgres().port());
        service = RunningService.start(infra, Map.of("JIT_SRE_WORKLOADS", SRE,
                        "DATASOURCE_URL", RunningService.jdbcUrlThrough(postgres)),
                // Give up on the database quickly, so that the outage test sees a retry round in seconds.
                Map.of("jit.metrics.gauge-refresh-interval", "200ms", "datasources.default.connection-timeout", "1000",
                        "jit.ledger.retry-count", "1", "jit.ledger.retry-delay", "50ms"));
        api = new Api(service);
        tokens = new Tokens(infra.identityProvider());
        events = Events.connect(infra);
        raw = RawRecords.connect(infra);
        database = new Database(infra);
        deadLetterTopic = TopicProbe.onTopic(infra, Topics.DEAD_LETTERS);
    }

    @AfterAll
    static void stop() {
        Closing.inOrder(deadLetterTopic, events, raw, service, postgres, infra);
    }

    @BeforeEach
    void forgetEarlierDeadLetters() {
        deadLetterTopic.skipToEnd();
    }

    // ---- dead letters ----

    @Test
    void shouldRecordWhereWhoWhyAndHowBigButNotTheBytesWhenADeadLetterIsPublished() {
        // given a rejected record whose bytes hold a secret
        byte[] payload = ("{\"grantId\":\"g-1\",\"" + SECRET + "\"}").getBytes(StandardCharsets.UTF_8);
        long offset = OFFSETS.incrementAndGet();
        Instant failedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        DeadLetter letter = DeadLetters.build(ISSUER, Topics.GRANTS.name(), 2, offset, payload,
                "RecordDeserializationException: unknown magic byte", failedAt);

        // when
        RecordMetadata at = events.send(Topics.DEAD_LETTERS, "g-1", letter);

        // then
        Map<String, Object> listed = awaitDeadLetter(Topics.GRANTS.name(), offset, ISSUER);
        assertEquals(Map.of("sourceTopic", Topics.GRANTS.name(), "sourcePartition", 2, "sourceOffset", (int) offset,
                "consumer", ISSUER, "reason", "RecordDeserializationException: unknown magic byte",
                "failedAt", failedAt.toString(), "payloadSize", payload.length,
                "deadLetterPartition", at.partition(), "deadLetterOffset", (int) at.offset()), listed);
        // and the secret is nowhere in the database
        database.everyRow().forEach(row -> assertFalse(row.contains(SECRET), row));
    }

    @Test
    void shouldRecordOnePerConsumerWhenTheSameRejectionIsDeadLetteredTwice() {
        // given
        long offset = OFFSETS.incrementAndGet();
        DeadLetter letter = DeadLetters.build(ISSUER, Topics.GRANTS.name(), 0, offset, null, "first", Instant.now());

        // when the issuer dead-letters it twice (it was redelivered) and the revoker once
        events.send(Topics.DEAD_LETTERS, "k", letter);
        events.send(Topics.DEAD_LETTERS, "k", DeadLetters.build(ISSUER, Topics.GRANTS.name(), 0, offset, null, "second",
                Instant.now()));
        events.send(Topics.DEAD_LETTERS, "k", DeadLetters.build("revocation-service.v1", Topics.GRANTS.name(), 0, offset,
                null, "revoker's", Instant.now()));

        // then
        awaitDeadLetter(Topics.GRANTS.name(), offset, "revocation-service.v1");
        assertEquals(List.of("first", "revoker's"), database.column(
                "SELECT reason FROM dead_letters WHERE source_topic = ? AND source_offset = ? ORDER BY consumer",
                Topics.GRANTS.name(), offset));
        assertNull(awaitDeadLetter(Topics.GRANTS.name(), offset, ISSUER).get("payloadSize"));
    }

    @Test
    void shouldSkipAnUnreadableDeadLetterWithoutDeadLetteringItAgainAndCarryOn() {
        // given
        double unreadableBefore = metric("jit_dead_letters_unreadable_total");
        long offset = OFFSETS.incrementAndGet();
        long recordsBefore = deadLetterTopic.endOffsetTotal();

        // when garbage lands on the dead-letter topic, then a good dead letter
        raw.send(Topics.DEAD_LETTERS, "garbage", "not a dead letter".getBytes(StandardCharsets.UTF_8));
        events.send(Topics.DEAD_LETTERS, "good", DeadLetters.build(ISSUER, Topics.GRANTS.name(), 1, offset, null,
                "after the garbage", Instant.now()));

        // then the good one is recorded
        awaitDeadLetter(Topics.GRANTS.name(), offset, ISSUER);
        // and the garbage was counted, not sent back to the dead-letter topic
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("jit_dead_letters_unreadable_total") >= unreadableBefore + 1);
        assertEquals(recordsBefore + 2, deadLetterTopic.endOffsetTotal());
    }

    @Test
    void shouldRecordTheDeadLetterOnceTheDatabaseIsBackAndNeverDeadLetterIt() {
        // given
        long offset = OFFSETS.incrementAndGet();
        long recordsBefore = deadLetterTopic.endOffsetTotal();
        try (LogCapture log = LogCapture.attach(DeadLetterProjectionListener.class.getName())) {
            postgres.cut();
            try {
                // when a dead letter arrives while the database is away
                events.send(Topics.DEAD_LETTERS, "outage", DeadLetters.build(ISSUER, Topics.GRANTS.name(), 0, offset, null,
                        "during the outage", Instant.now()));

                // then the projection gives up on this round, and will read it again
                await().atMost(Duration.ofSeconds(30)).until(() -> log.messages().stream()
                        .anyMatch(line -> line.startsWith("dead letters: could not record")));
            } finally {
                postgres.restore();
            }
        }

        // then, once the database is back, it is recorded
        assertEquals("during the outage", awaitDeadLetter(Topics.GRANTS.name(), offset, ISSUER).get("reason"));
        // and it was never dead-lettered itself
        assertEquals(recordsBefore + 1, deadLetterTopic.endOffsetTotal());
    }

    @Test
    void shouldListDeadLettersNewestFirstAPageAtATime() {
        // given three dead letters, the newest of all
        List<Long> offsets = Stream.generate(OFFSETS::incrementAndGet).limit(3).toList();
        for (int i = 0; i < 3; i++) {
            events.send(Topics.DEAD_LETTERS, "p", DeadLetters.build(ISSUER, Topics.REVOCATIONS.name(), 0, offsets.get(i),
                    null, "page test " + i, FUTURE.plusSeconds(i)));
        }
        awaitDeadLetter(Topics.REVOCATIONS.name(), offsets.get(0), ISSUER);
        awaitDeadLetter(Topics.REVOCATIONS.name(), offsets.get(2), ISSUER);

        // when
        Map<String, Object> first = list("/v1/dead-letters?limit=2");
        Map<String, Object> second = list("/v1/dead-letters?limit=2&cursor=" + first.get("nextCursor"));

        // then
        assertEquals(List.of("page test 2", "page test 1"), items(first, "deadLetters").stream().map(d -> d.get("reason")).toList());
        assertEquals("page test 0", items(second, "deadLetters").get(0).get("reason"));
    }

    @Test
    void shouldCountRecordedDeadLettersByConsumerWhenScraped() {
        // given
        long offset = OFFSETS.incrementAndGet();
        events.send(Topics.DEAD_LETTERS, "m", DeadLetters.build("policy-service.v1", Topics.APPROVALS.name(), 0, offset, null,
                "metric", Instant.now()));
        awaitDeadLetter(Topics.APPROVALS.name(), offset, "policy-service.v1");
        long recorded = database.count("SELECT count(*) FROM dead_letters WHERE consumer = 'policy-service.v1'");

        // then the gauge catches up with the table
        await().atMost(Duration.ofSeconds(30)).until(
                () -> metric("jit_dead_letters_recorded{consumer=\"policy-service.v1\"}") == recorded);
    }

    // ---- alerts ----

    @Test
    void shouldRecordAnAlertOnceWhenItIsDeliveredTwice() {
        // given
        double before = metric("jit_alerts_total{kind=\"BREAK_GLASS_GRANTED\"}");
        Alert alert = alert(UUID.randomUUID().toString(), Instant.now().truncatedTo(ChronoUnit.MILLIS));

        // when
        events.send(Topics.ALERTS, DEPLOYER, alert);
        events.send(Topics.ALERTS, DEPLOYER, alert);

        // then
        Map<String, Object> listed = awaitAlert(alert.getAlertId());
        assertEquals(Map.of("alertId", alert.getAlertId(), "kind", "BREAK_GLASS_GRANTED", "workloadId", DEPLOYER,
                "requestId", "req-1", "taskId", "task-1", "environment", "prod",
                "summary", "BREAK-GLASS: deployer got postgres/orders-db [read] in prod for 600 s: INC-99 prod down",
                "raisedAt", alert.getRaisedAt().toString()), listed);
        assertEquals(1, database.count("SELECT count(*) FROM alerts WHERE alert_id = ?", alert.getAlertId()));
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("jit_alerts_total{kind=\"BREAK_GLASS_GRANTED\"}") == before + 1);
    }

    @Test
    void shouldListAlertsNewestFirst() {
        // given
        Alert older = alert("alert-a-" + UUID.randomUUID(), FUTURE);
        Alert newer = alert("alert-b-" + UUID.randomUUID(), FUTURE.plusSeconds(1));
        events.send(Topics.ALERTS, DEPLOYER, older);
        events.send(Topics.ALERTS, DEPLOYER, newer);
        awaitAlert(older.getAlertId());
        awaitAlert(newer.getAlertId());

        // when
        Map<String, Object> first = list("/v1/alerts?limit=1");
        Map<String, Object> second = list("/v1/alerts?limit=1&cursor=" + first.get("nextCursor"));

        // then
        assertEquals(newer.getAlertId(), items(first, "alerts").get(0).get("alertId"));
        assertEquals(older.getAlertId(), items(second, "alerts").get(0).get("alertId"));
    }

    @Test
    void shouldDeadLetterAnUndecodableAlertCarryOnAndShowTheDeadLetter() {
        // given
        Alert good = alert(UUID.randomUUID().toString(), Instant.now());

        // when
        raw.send(Topics.ALERTS, "garbage-alert", "not an alert".getBytes(StandardCharsets.UTF_8));
        events.send(Topics.ALERTS, DEPLOYER, good);

        // then the alert after it is recorded
        awaitAlert(good.getAlertId());
        // and the garbage went to the dead-letter topic, whole, as request-service's
        DeadLetter letter = deadLetterTopic.awaitRecord(r -> "garbage-alert".equals(r.key())).stream()
                .filter(r -> "garbage-alert".equals(r.key())).findFirst().orElseThrow().value();
        assertEquals(Topics.ALERTS.name(), letter.getSourceTopic());
        assertEquals(LedgerProjectionListener.GROUP_ID, letter.getConsumer());
        // and SREs see it in the dead-letter list
        Map<String, Object> listed = awaitDeadLetter(Topics.ALERTS.name(), letter.getSourceOffset(),
                LedgerProjectionListener.GROUP_ID);
        assertEquals("not an alert".length(), listed.get("payloadSize"));
    }

    @Test
    void shouldDeadLetterAnAlertWithoutAnId() {
        // given
        Alert blank = alert(" ", Instant.now());

        // when
        events.send(Topics.ALERTS, "blank-alert", blank);

        // then
        DeadLetter letter = deadLetterTopic.awaitRecord(r -> "blank-alert".equals(r.key())).stream()
                .filter(r -> "blank-alert".equals(r.key())).findFirst().orElseThrow().value();
        assertEquals("alertId is blank", letter.getReason());
    }

    // ---- refusals ----

    static Stream<String> lists() {
        return Stream.of("/v1/dead-letters", "/v1/alerts");
    }

    @ParameterizedTest
    @MethodSource("lists")
    void shouldAnswer403WhenSomeoneOtherThanAnSreLists(String path) {
        // when
        Reply reply = api.get(path, tokens.valid(DEPLOYER));

        // then
        assertEquals(403, reply.status(), reply.body());
        assertEquals("forbidden", api.json(reply.body()).get("error"));
    }

    static Stream<Arguments> badParameters() {
        return Stream.of(
                Arguments.of("/v1/dead-letters?limit=501", "limit"),
                Arguments.of("/v1/dead-letters?consumer=x", "consumer"),
                // A ledger cursor names a request, not a dead letter.
                Arguments.of("/v1/dead-letters?cursor=" + new io.jitbroker.request.domain.PageCursor(Instant.now(),
                        "not-a-row").encode(), "cursor"),
                Arguments.of("/v1/alerts?limit=0", "limit"),
                Arguments.of("/v1/alerts?cursor=garbage", "cursor"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badParameters")
    void shouldAnswer400NamingTheParameterWhenAListIsAskedWrongly(String path, String parameter) {
        // when
        Reply reply = api.get(path, tokens.valid(SRE));

        // then
        assertEquals(400, reply.status(), reply.body());
        String message = (String) api.json(reply.body()).get("message");
        assertTrue(message.startsWith(parameter + " ") || message.contains("'" + parameter + "'"), message);
    }

    // ---- helpers ----

    private static Alert alert(String alertId, Instant raisedAt) {
        return Alert.newBuilder()
                .setAlertId(alertId)
                .setKind(AlertKind.BREAK_GLASS_GRANTED)
                .setWorkloadId(DEPLOYER)
                .setRequestId("req-1")
                .setTaskId("task-1")
                .setEnvironment("prod")
                .setSummary("BREAK-GLASS: deployer got postgres/orders-db [read] in prod for 600 s: INC-99 prod down")
                .setRaisedAt(raisedAt)
                .build();
    }

    private static Map<String, Object> list(String path) {
        Reply reply = api.get(path, tokens.valid(SRE));
        assertEquals(200, reply.status(), reply.body());
        return api.json(reply.body());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> page, String field) {
        return (List<Map<String, Object>>) page.get(field);
    }

    /** Waits until the dead letter of that source record and consumer is listed, walking every page. */
    private static Map<String, Object> awaitDeadLetter(String topic, long offset, String consumer) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> findDeadLetter(topic, offset, consumer), Optional::isPresent)
                .orElseThrow();
    }

    /** Empty also while the service answers 503 (its database is just back): the caller waits and asks again. */
    private static Optional<Map<String, Object>> findDeadLetter(String topic, long offset, String consumer) {
        String cursor = null;
        do {
            Reply reply = api.get("/v1/dead-letters?limit=500" + (cursor == null ? "" : "&cursor=" + cursor),
                    tokens.valid(SRE));
            if (reply.status() == 503) {
                return Optional.empty();
            }
            assertEquals(200, reply.status(), reply.body());
            Map<String, Object> page = api.json(reply.body());
            Optional<Map<String, Object>> found = items(page, "deadLetters").stream()
                    .filter(d -> topic.equals(d.get("sourceTopic")) && offset == ((Number) d.get("sourceOffset")).longValue()
                            && consumer.equals(d.get("consumer")))
                    .findFirst();
            if (found.isPresent()) {
                return found;
            }
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        return Optional.empty();
    }

    private static Map<String, Object> awaitAlert(String alertId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> items(list("/v1/alerts?limit=500"), "alerts").stream()
                .filter(a -> alertId.equals(a.get("alertId"))).findFirst(), Optional::isPresent).orElseThrow();
    }

    private static double metric(String series) {
        return Prometheus.value(Prometheus.scrape(service), series).orElse(0);
    }
}
