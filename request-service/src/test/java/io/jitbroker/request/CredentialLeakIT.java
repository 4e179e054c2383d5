package io.jitbroker.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.events.v1.DenyCode;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.request.support.Api;
import io.jitbroker.request.support.Api.Reply;
import io.jitbroker.request.support.Closing;
import io.jitbroker.request.support.Database;
import io.jitbroker.request.support.Events;
import io.jitbroker.request.support.Lifecycle;
import io.jitbroker.request.support.Lifecycle.Request;
import io.jitbroker.request.support.LogCapture;
import io.jitbroker.request.support.RunningService;
import io.jitbroker.testkit.Tokens;
import io.jitbroker.contracts.Topic;
import io.jitbroker.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No credential ever lands in the ledger, the logs or on Kafka. The test drives every kind of call
 * request-service takes, with good tokens and each kind of bad one, capturing everything the service
 * logs from its start; then it looks for every token's signature (the part that makes a JWT usable)
 * in every row of every table of the ledger database, in every log line (exceptions and stacks
 * included) and in every record on every topic.
 */
class CredentialLeakIT {

    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final String DETECTOR = "spiffe://dev.local/security/edr";
    private static final String SRE = "spiffe://dev.local/sre/alice";
    private static final String OTHER_SRE = "spiffe://dev.local/sre/bob";

    private static Infrastructure infra;
    private static LogCapture logs;
    private static RunningService service;
    private static Api api;
    private static Tokens tokens;
    private static Events events;
    private static Lifecycle lifecycle;
    /** Every token the run minted, good and bad. */
    private static final List<String> sent = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void run() {
        infra = Infrastructure.startForTests();
        infra.kafka().createTopics(Topics.newTopics(3, (short) 1));
        logs = LogCapture.attachToRoot();
        service = RunningService.start(infra,
                Map.of("JIT_SRE_WORKLOADS", SRE + "," + OTHER_SRE, "JIT_DETECTOR_WORKLOADS", DETECTOR), Map.of());
        api = new Api(service);
        tokens = new Tokens(infra.identityProvider(), sent::add);
        events = Events.connect(infra);
        lifecycle = new Lifecycle(api, tokens, events, SRE);
        exerciseEveryCall();
    }

    @AfterAll
    static void stop() {
        Closing.inOrder(events, service, logs, infra);
    }

    private static void exerciseEveryCall() {
        // A request through its life, with an approval, a task event, a context event and a manual revocation.
        Request waiting = lifecycle.submit(DEPLOYER, "prod", true, "INC-1 break-glass restore");
        lifecycle.askForApproval(waiting);
        expect(202, api.post("/v1/access-requests/" + waiting.id() + "/approval", token(OTHER_SRE),
                "{\"approve\":true,\"reason\":\"INC-1 reviewed\"}"));
        lifecycle.approve(waiting, true);
        String grant = lifecycle.issue(waiting, Duration.ofMinutes(5));
        expect(202, api.post("/v1/tasks/" + waiting.taskId() + "/events", token(DEPLOYER), "{\"type\":\"HEARTBEAT\"}"));
        expect(202, api.post("/v1/revocations", token(SRE),
                "{\"scope\":\"GRANT\",\"grantId\":\"" + grant + "\",\"reason\":\"INC-1 closed\"}"));
        lifecycle.revoke(waiting, grant, RevocationReason.MANUAL, "INC-1 closed");
        expect(202, api.post("/v1/context-events", token(DETECTOR),
                "{\"workloadId\":\"" + DEPLOYER + "\",\"type\":\"RISK_RAISED\",\"reason\":\"odd login\"}"));
        lifecycle.deny(lifecycle.submit(DEPLOYER, "prod"), DenyCode.NO_MATCHING_RULE);
        // Reads, the SRE lists, and refusals.
        expect(200, api.get("/v1/access-requests/" + waiting.id(), token(DEPLOYER)));
        expect(200, api.get("/v1/ledger?workloadId=" + DEPLOYER, token(SRE)));
        expect(200, api.get("/v1/approvals", token(SRE)));
        expect(200, api.get("/v1/dead-letters", token(SRE)));
        expect(200, api.get("/v1/alerts", token(SRE)));
        expect(403, api.get("/v1/ledger", token(DEPLOYER)));
        expect(400, api.get("/v1/ledger?cursor=nonsense", token(SRE)));
        expect(400, api.post("/v1/access-requests", token(DEPLOYER), "{\"taskId\":\"t\"}"));
        // Tokens that must be refused: each is a credential too, and must not be logged either.
        for (String refused : List.of(tokens.expired(DEPLOYER), tokens.wronglySigned(DEPLOYER),
                tokens.forAudience(DEPLOYER, "someone-else"), tokens.withSubject("not-a-spiffe-id"))) {
            expect(401, api.post("/v1/access-requests", refused, "{}"));
            expect(401, api.get("/v1/ledger", refused));
        }
    }

    @Test
    void shouldHaveExercisedTheServiceWithManyTokens() {
        assertTrue(sent.size() >= 10, sent.size() + " tokens");
        assertTrue(logs.lines().size() > 20, "the log capture saw " + logs.lines().size() + " lines");
    }

    @Test
    void shouldKeepNoTokenSignatureInAnyRowOfTheLedgerDatabase() {
        // when
        List<String> rows = new Database(infra).everyRow();

        // then
        assertTrue(rows.stream().anyMatch(row -> row.startsWith("access_request: ")), "the ledger is empty");
        for (String row : rows) {
            for (String token : sent) {
                assertFalse(row.contains(signatureOf(token)), () -> "a token signature is stored: " + row);
            }
        }
    }

    @Test
    void shouldLogNoTokenSignature() {
        // when
        List<String> lines = logs.lines();

        // then
        for (String line : lines) {
            for (String token : sent) {
                assertFalse(line.contains(signatureOf(token)), () -> "a token signature is logged: " + line);
            }
        }
    }

    @Test
    void shouldPublishNoTokenSignatureOnAnyTopic() {
        // when
        List<String> records = everyRecord();

        // then
        assertTrue(records.size() > 5, records.size() + " records");
        for (String record : records) {
            for (String token : sent) {
                assertFalse(record.contains(signatureOf(token)), () -> "a token signature is on Kafka: " + record);
            }
        }
    }

    // ---- helpers ----

    private static String token(String workload) {
        return tokens.valid(workload);
    }

    private static void expect(int status, Reply reply) {
        assertEquals(status, reply.status(), reply.body());
    }

    /** The third part of a compact JWS: what proves the token, and what a leak would expose. */
    private static String signatureOf(String token) {
        String[] parts = token.split("\\.");
        assertEquals(3, parts.length, "not a compact JWS");
        assertTrue(parts[2].length() > 40, "a short signature would match by chance");
        return parts[2];
    }

    /** Key and value of every record on every topic, from the start, as text (Avro strings stay readable). */
    private static List<String> everyRecord() {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = Topics.ALL.stream().map(Topic::name)
                    .flatMap(name -> consumer.partitionsFor(name).stream().map(p -> new TopicPartition(name, p.partition())))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(record.topic() + " " + record.key() + " "
                            + new String(record.value() == null ? new byte[0] : record.value(), StandardCharsets.ISO_8859_1));
                }
            }
        }
        return records;
    }
}
