package io.jitbroker.policy.topology;

import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.events.v1.AccessRequest;
import io.jitbroker.events.v1.Alert;
import io.jitbroker.events.v1.ApprovalDecision;
import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.ContextEventType;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Resource;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.policy.domain.PolicyEngine;
import io.jitbroker.policy.domain.PolicyParser;
import io.jitbroker.policy.metrics.PolicyMetrics;
import io.jitbroker.streams.DeadLetterOnDeserializationError;
import io.jitbroker.testkit.PlainAvroSerde;
import io.jitbroker.testkit.TopologyDriverExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The decisions topology on a TopologyTestDriver with plain Avro serdes and a wall clock that starts
 * at {@link #T0}. Inputs are piped as their producers key them; the driver routes the repartition
 * topics internally, so a record piped in is decided before the call returns.
 */
final class PolicyDriver extends TopologyDriverExtension {

    static final String DEPLOYER = "spiffe://dev.local/ci/deployer";

    SimpleMeterRegistry meters;
    final AtomicReference<PolicyEngine> policy = new AtomicReference<>();
    TestInputTopic<String, AccessRequest> requests;
    TestInputTopic<String, byte[]> rawRequests;
    TestInputTopic<String, ApprovalDecision> approvals;
    TestInputTopic<String, GrantIssued> grants;
    TestInputTopic<String, Revocation> revocations;
    TestInputTopic<String, ContextEvent> contextEvents;
    TestOutputTopic<String, AccessDecision> decisions;
    TestOutputTopic<String, Alert> alerts;
    TestOutputTopic<String, RevocationRequest> revocationRequests;
    TestOutputTopic<String, DeadLetter> deadLetters;
    private int grantsIssued;

    private final String policyYaml;

    /** A fresh driver for each test running {@code policyYaml}: {@code @RegisterExtension final PolicyDriver policy = ...}. */
    PolicyDriver(String policyYaml) {
        this.policyYaml = policyYaml;
    }

    @Override
    protected void start(Path stateDir) {
        RegistrySerdes.trustEventsPackage();
        meters = new SimpleMeterRegistry();
        grantsIssued = 0;
        use(policyYaml);
        PolicyMetrics metrics = new PolicyMetrics(meters);
        PolicyTopology.EventSerdes serdes = new PolicyTopology.EventSerdes(
                PlainAvroSerde.of(AccessRequest.class), PlainAvroSerde.of(ApprovalDecision.class),
                PlainAvroSerde.of(GrantIssued.class), PlainAvroSerde.of(Revocation.class),
                PlainAvroSerde.of(ContextEvent.class), PlainAvroSerde.of(AccessDecision.class),
                PlainAvroSerde.of(Alert.class), PlainAvroSerde.of(RevocationRequest.class),
                PlainAvroSerde.of(DeadLetter.class));
        Properties config = streamsConfig("policy-service.decisions.v1", stateDir);
        config.putAll(DeadLetterOnDeserializationError.streamsConfig(PlainAvroSerde.serializer(DeadLetter.class), metrics));
        PolicyTopology.Settings settings = new PolicyTopology.Settings(Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofMinutes(1), 100);
        driver = new TopologyTestDriver(PolicyTopology.build(serdes, metrics, policy::get, settings), config, T0);

        requests = driver.createInputTopic(Topics.ACCESS_REQUESTS.name(), Serdes.String().serializer(),
                serdes.accessRequests().serializer());
        rawRequests = driver.createInputTopic(Topics.ACCESS_REQUESTS.name(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        approvals = driver.createInputTopic(Topics.APPROVALS.name(), Serdes.String().serializer(),
                serdes.approvals().serializer());
        grants = driver.createInputTopic(Topics.GRANTS.name(), Serdes.String().serializer(), serdes.grants().serializer());
        revocations = driver.createInputTopic(Topics.REVOCATIONS.name(), Serdes.String().serializer(),
                serdes.revocations().serializer());
        contextEvents = driver.createInputTopic(Topics.CONTEXT_EVENTS.name(), Serdes.String().serializer(),
                serdes.contextEvents().serializer());
        decisions = driver.createOutputTopic(Topics.ACCESS_DECISIONS.name(), Serdes.String().deserializer(),
                serdes.decisions().deserializer());
        alerts = driver.createOutputTopic(Topics.ALERTS.name(), Serdes.String().deserializer(),
                serdes.alerts().deserializer());
        revocationRequests = driver.createOutputTopic(Topics.REVOCATION_REQUESTS.name(), Serdes.String().deserializer(),
                serdes.revocationRequests().deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), Serdes.String().deserializer(),
                serdes.deadLetters().deserializer());
    }

    /** Switches to another policy bundle, as a hot reload does. */
    void use(String policyYaml) {
        policy.set(new PolicyEngine(PolicyParser.parse(policyYaml, "test")));
    }

    static AccessRequest.Builder request(String requestId, String environment, String resourceId, String... actions) {
        return AccessRequest.newBuilder()
                .setRequestId(requestId)
                .setWorkloadId(DEPLOYER)
                .setTaskId("task-" + requestId)
                .setEnvironment(environment)
                .setResources(List.of(Resource.newBuilder().setType("http").setId(resourceId)
                        .setActions(List.of(actions)).build()))
                .setTtlSeconds(300)
                .setRequestedAt(T0);
    }

    /** Asks, as request-service publishes: keyed by workload id; returns the decision. */
    AccessDecision ask(AccessRequest request) {
        requests.pipeInput(request.getWorkloadId(), request, now());
        return decisions.readValue();
    }

    /** Issues the grant of an approved decision, as the issuer does: keyed by grant id. */
    GrantIssued issue(AccessDecision decision) {
        GrantIssued grant = GrantIssued.newBuilder()
                .setGrantId("g-" + (++grantsIssued))
                .setRequestId(decision.getRequestId())
                .setWorkloadId(decision.getWorkloadId())
                .setTaskId(decision.getTaskId())
                .setEnvironment(decision.getEnvironment())
                .setResources(decision.getGrantedResources())
                .setCredentialType("jwt")
                .setCredentialId(UUID.randomUUID().toString())
                .setIssuedAt(now())
                .setExpiresAt(now().plusSeconds(decision.getGrantedTtlSeconds()))
                .build();
        grants.pipeInput(grant.getGrantId(), grant, now());
        return grant;
    }

    void revoke(GrantIssued grant, RevocationReason reason) {
        revocations.pipeInput(grant.getGrantId(), Revocation.newBuilder()
                .setGrantId(grant.getGrantId())
                .setRequestId(grant.getRequestId())
                .setWorkloadId(grant.getWorkloadId())
                .setTaskId(grant.getTaskId())
                .setEnvironment(grant.getEnvironment())
                .setCredentialId(grant.getCredentialId())
                .setReason(reason)
                .setDetail("test")
                .setExpiresAt(grant.getExpiresAt())
                .setRevokedAt(now())
                .build(), now());
    }

    void report(ContextEventType type, String environment) {
        contextEvents.pipeInput(DEPLOYER, ContextEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setWorkloadId(DEPLOYER)
                .setType(type)
                .setEnvironment(environment)
                .setReason("test: " + type)
                .setSource("spiffe://dev.local/detector/edr")
                .setOccurredAt(now())
                .build(), now());
    }

    /** An SRE approves or denies, as request-service publishes: keyed by workload id. */
    AccessDecision approve(String requestId, boolean approved, String reason) {
        approvals.pipeInput(DEPLOYER, ApprovalDecision.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setRequestId(requestId)
                .setWorkloadId(DEPLOYER)
                .setApproved(approved)
                .setReason(reason)
                .setDecidedBy("spiffe://dev.local/sre/oncall")
                .setDecidedAt(now())
                .build(), now());
        return decisions.isEmpty() ? null : decisions.readValue();
    }

}
