package io.jitbroker.devstack.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.devstack.KafkaSecurity;
import io.jitbroker.events.v1.Alert;
import io.jitbroker.events.v1.AlertKind;
import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.contracts.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Policy as code on the whole dev stack (four service JVMs), over HTTP: a bundle published through
 * the admin API takes effect and revokes what it no longer allows (POLICY_CHANGED), a compromised
 * workload is denied, break-glass raises an alert, and approvals are granted, denied or expire.
 * Kafka runs with SASL/SCRAM and ACLs, so every flow here also proves each service needs no more
 * than its ACLs give it.
 */
class PolicyLifecycleIT {

    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final String BUILDER = "spiffe://dev.local/ci/builder";
    private static final String SRE = "spiffe://dev.local/sre/oncall";

    /** Every rule a test here needs; each test uses its own resource, so a new version touches only its own. */
    private static final String BUNDLE = """
            version: "%s"
            maxTtlSeconds: 3600
            environments: [dev, staging, prod]
            separation:
              - [prod, dev]
            approvalTimeoutSeconds: 4
            breakGlass:
              maxTtlSeconds: 120
            rules:
              - id: reports-read-write
                workload: "spiffe://dev.local/ci/*"
                environments: [staging]
                resources:
                  - type: http
                    ids: ["reports-api"]
                    actions: [%s]
              - id: billing-with-approval
                workload: "spiffe://dev.local/ci/deployer"
                environments: [staging]
                resources:
                  - type: http
                    ids: ["billing-api"]
                    actions: [read]
                requireApproval: true
              - id: payments-break-glass
                workload: "spiffe://dev.local/ci/deployer"
                environments: [prod]
                breakGlass: true
                resources:
                  - type: http
                    ids: ["payments-api"]
                    actions: [read]
            """;

    private static TestStack stack;
    private static WalkthroughClient client;
    private static String sreToken;

    @BeforeAll
    static void startStack() {
        // Kafka as in production: every service logs in as itself and may only do what its ACLs allow.
        stack = TestStack.startWithSecureKafka("policy-it");
        client = stack.client();
        sreToken = client.tokenFor(SRE);
        var published = publish("it-1", "read, write");
        assertEquals(201, published.status(), published.raw());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldRevokeWithPolicyChangedWhenANewBundleNoLongerAllowsTheGrant() {
        // given: an issued write grant on the reports API
        String token = client.tokenFor(DEPLOYER);
        String requestId = ask(token, "staging", "reports-api", "write", "");
        client.awaitStatus(requestId, token, "ISSUED");

        // when: a new version allows only read
        var published = publish("it-2", "read");

        // then
        assertEquals(201, published.status(), published.raw());
        var revoked = client.awaitStatus(requestId, token, "REVOKED");
        assertEquals("POLICY_CHANGED", revoked.body().path("revocationReason").asText(), revoked.raw());
        assertTrue(revoked.body().path("revocationDetail").asText().contains("it-2"), revoked.raw());
    }

    @Test
    void shouldRejectAnInvalidBundleWithItsLineAndKeepTheRunningOne() {
        // when
        var rejected = client.postYaml(client.policyServiceUrl() + "/v1/policy/bundles", sreToken,
                BUNDLE.formatted("it-broken", "read") + """
                          - id: misspelled-field
                            workload: "spiffe://dev.local/ci/deployer"
                            environments: [staging]
                            resources:
                              - type: http
                                ids: ["reports-api"]
                                actions: [read]
                            condition: "request.ticket == 'x'"
                        """);

        // then
        assertEquals(400, rejected.status(), rejected.raw());
        assertTrue(rejected.body().path("line").asInt() > 30, rejected.raw());
        assertTrue(rejected.body().path("message").asText().contains("request.ticket"), rejected.raw());
        var current = client.get(client.policyServiceUrl() + "/v1/policy/bundles/current", sreToken);
        assertTrue(current.body().path("version").asText().startsWith("it-"), current.raw());
        assertTrue(!"it-broken".equals(current.body().path("version").asText()), current.raw());
    }

    @Test
    void shouldDenyACompromisedWorkload() {
        // given: a detector-style report, made by the SRE
        var reported = client.postJson(client.requestServiceUrl() + "/v1/context-events", sreToken, """
                {"workloadId":"%s","type":"WORKLOAD_COMPROMISED","reason":"token replay from an unknown network"}"""
                .formatted(BUILDER));
        assertEquals(202, reported.status(), reported.raw());

        // when
        String token = client.tokenFor(BUILDER);
        String requestId = ask(token, "staging", "reports-api", "read", "");

        // then
        var denied = client.awaitStatus(requestId, token, "DENIED");
        assertEquals("WORKLOAD_COMPROMISED", denied.body().path("denyCode").asText(), denied.raw());
    }

    @Test
    void shouldRaiseAnAlertForBreakGlass() {
        // when
        String token = client.tokenFor(DEPLOYER);
        String requestId = ask(token, "prod", "payments-api", "read",
                ",\"breakGlass\":true,\"justification\":\"INC-4711: payments stuck, reading the queue\"");

        // then
        var approved = client.awaitStatus(requestId, token, "ISSUED");
        assertTrue(approved.body().path("breakGlass").asBoolean(), approved.raw());
        await().atMost(WalkthroughClient.FLOW_TIMEOUT).until(() -> alerts().stream().anyMatch(alert ->
                requestId.equals(alert.getRequestId()) && alert.getKind() == AlertKind.BREAK_GLASS_GRANTED
                        && alert.getSummary().contains("INC-4711")));
    }

    @Test
    void shouldGrantWhenAnSreApprovesAndCloseAnUndecidedRequestAsExpired() {
        // given: two requests that need a human
        String token = client.tokenFor(DEPLOYER);
        String approvedId = ask(token, "staging", "billing-api", "read", "");
        String forgottenId = ask(token, "staging", "billing-api", "read", "");
        client.awaitStatus(approvedId, token, "PENDING_APPROVAL");

        // when: the SRE approves one, nobody decides the other
        var approval = client.postJson(client.requestServiceUrl() + "/v1/access-requests/" + approvedId + "/approval",
                sreToken, "{\"approve\":true,\"reason\":\"CHG-12 reviewed\"}");

        // then
        assertEquals(202, approval.status(), approval.raw());
        var issued = client.awaitStatus(approvedId, token, "ISSUED");
        assertEquals(SRE, issued.body().path("approvedBy").asText(), issued.raw());
        var expired = client.awaitStatus(forgottenId, token, "DENIED");
        assertEquals("EXPIRED", expired.body().path("denyCode").asText(), expired.raw());
    }

    private static WalkthroughClient.Response publish(String version, String reportActions) {
        return client.postYaml(client.policyServiceUrl() + "/v1/policy/bundles", sreToken,
                BUNDLE.formatted(version, reportActions));
    }

    /** @param extra more JSON fields; a justification unless {@code extra} gives one */
    private static String ask(String token, String environment, String resource, String action, String extra) {
        if (!extra.contains("justification")) {
            extra += ",\"justification\":\"policy lifecycle test\"";
        }
        var accepted = client.postJson(client.requestServiceUrl() + "/v1/access-requests", token, """
                {"taskId":"task-%s","environment":"%s",
                 "resources":[{"type":"http","id":"%s","actions":["%s"]}],"ttlSeconds":300%s}"""
                .formatted(UUID.randomUUID(), environment, resource, action, extra));
        assertEquals(202, accepted.status(), accepted.raw());
        return accepted.body().get("requestId").asText();
    }

    private static List<Alert> alerts() {
        RegistrySerdes.trustEventsPackage();
        RegistrySerdes serdes = new RegistrySerdes(stack.devStack().infrastructure().registry().nativeApiUrl());
        Map<String, Object> config = new HashMap<>(serdes.consumerConfig());
        config.putAll(stack.devStack().infrastructure().kafka().clientConfig(KafkaSecurity.ADMIN));
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<Alert> alerts = new ArrayList<>();
        try (KafkaConsumer<String, Alert> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ALERTS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> alerts.add(record.value()));
            }
        }
        return alerts;
    }
}
