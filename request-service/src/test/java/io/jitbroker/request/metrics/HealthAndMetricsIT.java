package io.jitbroker.request.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.contracts.Topics;
import io.jitbroker.devstack.FreePorts;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.events.v1.AccessRequest;
import io.jitbroker.events.v1.DenyCode;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.request.support.Api;
import io.jitbroker.request.support.Api.Reply;
import io.jitbroker.request.support.Closing;
import io.jitbroker.request.support.Database;
import io.jitbroker.request.support.Events;
import io.jitbroker.request.support.Lifecycle;
import io.jitbroker.request.support.Lifecycle.Request;
import io.jitbroker.request.support.Prometheus;
import io.jitbroker.request.support.RunningService;
import io.jitbroker.request.support.TcpProxy;
import io.jitbroker.request.support.TopicProbe;
import io.jitbroker.testkit.Tokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * /health and /prometheus on real infrastructure. The service reaches PostgreSQL and the registry
 * through TCP proxies the tests cut and restore, so a dependency goes away without being stopped;
 * Kafka's absence is shown by a second instance pointed at a port nobody listens on. It runs with
 * the Kafka client security settings spelled out (plaintext, as on the dev broker), to show that
 * they break nothing.
 */
class HealthAndMetricsIT {

    private static final String SRE = "spiffe://dev.local/sre/alice";
    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";

    private static Infrastructure infra;
    private static TcpProxy postgres;
    private static TcpProxy registry;
    private static RunningService service;
    private static Api api;
    private static Events events;
    private static Lifecycle lifecycle;
    private static Database database;

    @BeforeAll
    static void start() {
        infra = Infrastructure.startForTests();
        infra.kafka().createTopics(Topics.newTopics(3, (short) 1));
        postgres = TcpProxy.to(infra.postgres().port());
        registry = TcpProxy.to(infra.registry().port());
        service = RunningService.start(infra, Map.of(
                        "JIT_SRE_WORKLOADS", SRE,
                        "DATASOURCE_URL", RunningService.jdbcUrlThrough(postgres),
                        "SCHEMA_REGISTRY_URL", "http://127.0.0.1:" + registry.port() + "/apis/registry/v2",
                        "KAFKA_SECURITY_PROTOCOL", "PLAINTEXT",
                        "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                        "KAFKA_SASL_JAAS_CONFIG", ""),
                // Production shows only UP or DOWN; the test wants to see which dependency is down.
                Map.of("endpoints.health.details-visible", "ANONYMOUS", "jit.metrics.gauge-refresh-interval", "200ms"));
        api = new Api(service);
        events = Events.connect(infra);
        lifecycle = new Lifecycle(api, new Tokens(infra.identityProvider()), events, SRE);
        database = new Database(infra);
    }

    @AfterAll
    static void stop() {
        Closing.inOrder(events, service, postgres, registry, infra);
    }

    // ---- health ----

    @Test
    void shouldBeUpWhenKafkaTheRegistryAndTheDatabaseAnswer() {
        // when
        // A health probe is a point in time: on a loaded machine, wait for UP.
        Reply health = await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/health", null), r -> r.status() == 200);
        Reply readiness = await().atMost(Duration.ofSeconds(30))
                .until(() -> api.get("/health/readiness", null), r -> r.status() == 200);

        // then
        assertEquals(200, health.status(), health.body());
        assertEquals("UP", api.json(health.body()).get("status"));
        assertEquals(200, readiness.status(), readiness.body());
        assertEquals("UP", componentStatus(readiness, "kafka"), readiness.body());
        assertEquals("UP", componentStatus(readiness, "jdbc"), readiness.body());
        assertEquals("UP", componentStatus(readiness, "schemaRegistry"), readiness.body());
    }

    @Test
    void shouldStayReadyWhileManyProbesAskAtOnce() throws Exception {
        // given a ready instance
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/health/readiness", null), r -> r.status() == 200);

        // when a load balancer, the orchestrator and a scraper probe at the same moment, again and again
        // (micronaut-kafka's own check broke for good under this: ./jit-broker chaos found it)
        ExecutorService probes = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 5; round++) {
                List<Future<Reply>> answers = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    answers.add(probes.submit(() -> api.get("/health/readiness", null)));
                }
                // then every probe finds Kafka up
                for (Future<Reply> answer : answers) {
                    Reply readiness = answer.get(30, TimeUnit.SECONDS);
                    assertEquals("UP", componentStatus(readiness, "kafka"), readiness.body());
                }
            }
        } finally {
            probes.shutdownNow();
        }
        // and a probe after them still does
        assertEquals("UP", componentStatus(api.get("/health/readiness", null), "kafka"));
    }

    static Stream<Arguments> dependencies() {
        return Stream.of(Arguments.of("PostgreSQL", (Supplier<TcpProxy>) () -> postgres, "jdbc"),
                Arguments.of("the schema registry", (Supplier<TcpProxy>) () -> registry, "schemaRegistry"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dependencies")
    void shouldBeNotReadyButAliveWhileADependencyIsUnreachable(String dependency, Supplier<TcpProxy> proxy,
                                                                String indicator) {
        try {
            // when
            proxy.get().cut();

            // then
            Reply readiness = awaitHealth("/health/readiness", reply -> reply.status() == 503);
            assertEquals("DOWN", componentStatus(readiness, indicator), dependency + ": " + readiness.body());
            assertEquals(503, api.get("/health", null).status());
            // not dead: restarting the service would not bring the dependency back
            assertEquals(200, api.get("/health/liveness", null).status());
        } finally {
            proxy.get().restore();
        }
        // and ready again once it answers
        awaitHealth("/health/readiness", reply -> reply.status() == 200);
    }

    @Test
    void shouldBeNotReadyWhenKafkaIsUnreachable() {
        // given an instance whose broker is a port nobody listens on
        try (RunningService orphan = RunningService.start(infra, Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + FreePorts.find()),
                Map.of("endpoints.health.details-visible", "ANONYMOUS", "kafka.health-timeout", "2s"))) {
            Api orphanApi = new Api(orphan);

            // when
            Reply readiness = orphanApi.get("/health/readiness", null);

            // then
            assertEquals(503, readiness.status(), readiness.body());
            assertEquals("DOWN", componentStatus(readiness, "kafka"), readiness.body());
            assertEquals(503, orphanApi.get("/health", null).status());
            assertEquals(200, orphanApi.get("/health/liveness", null).status());
        }
    }

    // ---- Kafka client security settings ----

    @Test
    void shouldPublishAndFollowEventsWhenTheSecuritySettingsSayPlaintext() {
        // given
        assertEquals("PLAINTEXT", service.context().getProperty("kafka.security.protocol", String.class).orElseThrow());
        try (TopicProbe<AccessRequest> published = TopicProbe.onTopic(infra, Topics.ACCESS_REQUESTS)) {
            // when
            Request request = lifecycle.submit(DEPLOYER, "staging");

            // then it reached the broker
            published.awaitRecord(r -> r.value().getRequestId().equals(request.id()));
            // and the service follows what comes back
            lifecycle.approve(request, false);
        }
    }

    // ---- metrics ----

    @Test
    void shouldCountDecisionsByOutcomeAndDenialsByCode() {
        // given
        String before = Prometheus.scrape(service);

        // when
        lifecycle.approve(lifecycle.submit(DEPLOYER, "staging"), false);
        lifecycle.deny(lifecycle.submit(DEPLOYER, "prod"), DenyCode.ENVIRONMENT_SEPARATION);
        lifecycle.askForApproval(lifecycle.submit(DEPLOYER, "prod"));

        // then
        String after = Prometheus.scrape(service);
        assertIncreasedByOne(before, after, "jit_decisions_total{outcome=\"approved\"}");
        assertIncreasedByOne(before, after, "jit_decisions_total{outcome=\"denied\"}");
        assertIncreasedByOne(before, after, "jit_decisions_total{outcome=\"pending_approval\"}");
        assertIncreasedByOne(before, after, "jit_decisions_denied_total{code=\"ENVIRONMENT_SEPARATION\"}");
    }

    @Test
    void shouldGaugePendingApprovalsAndActiveGrantsAsTheLedgerCountsThem() {
        // given requests waiting, live, expired and revoked
        lifecycle.askForApproval(lifecycle.submit(DEPLOYER, "dev"));
        Request live = lifecycle.submit(DEPLOYER, "dev");
        lifecycle.approve(live, false);
        lifecycle.issue(live, Duration.ofMinutes(10));
        Request expired = lifecycle.submit(DEPLOYER, "dev");
        lifecycle.approve(expired, false);
        lifecycle.issue(expired, Duration.ofMillis(1));
        Request revoked = lifecycle.submit(DEPLOYER, "dev");
        lifecycle.approve(revoked, false);
        lifecycle.revoke(revoked, lifecycle.issue(revoked, Duration.ofMinutes(10)), RevocationReason.MANUAL, "test");
        long pending = database.count("SELECT count(*) FROM access_request WHERE status = 'PENDING_APPROVAL'");
        long active = database.count("SELECT count(*) FROM access_request WHERE status = 'ISSUED' AND expires_at > now()");

        // then
        assertTrue(pending >= 1 && active >= 1, pending + " pending, " + active + " active");
        await().atMost(Duration.ofSeconds(30)).until(() -> gauge("jit_pending_approvals") == pending
                && gauge("jit_active_grants") == active);
    }

    @Test
    void shouldExposeTheKafkaConsumersLag() {
        // given the consumers have fetched something
        lifecycle.approve(lifecycle.submit(DEPLOYER, "staging"), false);

        // then the latest lag of each partition, and the worst per consumer, are exposed
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String exposition = Prometheus.scrape(service);
            return Prometheus.value(exposition, ConsumerLag.PER_PARTITION
                    + "{client_id=\"request-service-ledger\",partition=\"0\",topic=\"jit.access-decisions.v1\"}").isPresent()
                    && Prometheus.value(exposition, ConsumerLag.MAX + "{client_id=\"request-service-ledger\"}").isPresent();
        });
    }

    // ---- helpers ----

    /** Consumer lag as micronaut-kafka binds the Kafka consumer's own metrics (records-lag, records-lag-max). */
    static final class ConsumerLag {
        static final String PER_PARTITION = "kafka_consumer_records_lag_records";
        static final String MAX = "kafka_consumer_records_lag_max_records";
    }

    private static Reply awaitHealth(String path, Predicate<Reply> condition) {
        return await().atMost(Duration.ofSeconds(45)).until(() -> api.get(path, null), condition);
    }

    @SuppressWarnings("unchecked")
    private static String componentStatus(Reply health, String component) {
        Map<String, Object> details = (Map<String, Object>) api.json(health.body()).get("details");
        Map<String, Object> indicator = (Map<String, Object>) details.get(component);
        return indicator == null ? "absent from " + details.keySet() : (String) indicator.get("status");
    }

    private static double gauge(String series) {
        return Prometheus.value(Prometheus.scrape(service), series).orElse(Double.NaN);
    }

    private static void assertIncreasedByOne(String before, String after, String series) {
        double was = Prometheus.value(before, series).orElse(0);
        assertEquals(was + 1, Prometheus.value(after, series).orElse(0), series);
    }
}
