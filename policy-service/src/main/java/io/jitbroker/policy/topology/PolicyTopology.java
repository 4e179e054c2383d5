package io.jitbroker.policy.topology;

import io.jitbroker.kafka.KafkaTracing;
import io.jitbroker.streams.PromptCommit;
import io.jitbroker.streams.TracedProcessor;
import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.events.v1.AccessRequest;
import io.jitbroker.events.v1.Alert;
import io.jitbroker.events.v1.ApprovalDecision;
import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.policy.domain.PolicyEngine;
import io.jitbroker.policy.metrics.PolicyMetrics;
import io.jitbroker.streams.ValidInput;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * policy-service's decisions as a Kafka Streams application, partitioned by workload id.
 *
 * <pre>
 * jit.access-requests.v1 (key workloadId) ─valid─────────────────────────────────────────────┐
 * jit.approvals.v1 (key workloadId)       ─valid─────────────────────────────────────────────┤
 * jit.grants.v1 (key grantId)             ─valid→ grants-by-workload (repartition) ──────────┼→ decide
 * jit.revocations.v1 (key grantId)        ─valid→ revocations-by-workload (repartition) ─────┤   │
 * jit.context-events.v1 (key workloadId)  ─valid─────────────────────────────────────────────┘   │
 * decide ─AccessDecision→ jit.access-decisions.v1 (key requestId)
 *        ─Alert→ jit.alerts.v1 (key workloadId)
 *        ─RevocationRequest (POLICY_CHANGED)→ jit.revocation-requests.v1 (key workloadId)
 * every input's invalid records → jit.dead-letters.v1
 * </pre>
 *
 * <p>Why by workload: caps, environment separation and compromise marks are facts about one
 * workload. With every input of a workload on one Streams task, requests are decided one after
 * another against state that includes the previous decision's reservation, inside one exactly-once
 * transaction with the decision itself: two simultaneous requests cannot both slip under a cap of
 * one, and a crash neither loses nor repeats a decision. Requests, approvals and context events are
 * published keyed by workload, so they are read as they are: no repartition hop (and no extra
 * transaction) between a request and its decision. Grants and revocations are keyed by grant and
 * re-keyed here. The repartition topics take the partition count of the topics they re-key; the
 * topics read as keyed must have that count too ({@code Topics.newTopics} creates all topics alike).
 *
 * <p>Stores (keys are (workload, request) {@link io.jitbroker.streams.CompositeKey}s unless
 * said): {@value #REQUESTS_STORE} (the request of every pending or approved decision, for deciding
 * again), {@value #APPROVED_STORE} (approved decisions: reservations until their grant expires or is
 * revoked), {@value #PENDING_STORE} (decisions waiting for a human), {@value #GRANTS_STORE} (issued
 * grants), {@value #REVOKED_STORE} (revocations, kept until the grant's expiry in case the grant
 * arrives after its revocation), {@value #COMPROMISES_STORE} ((workload, environment or "") → the
 * context event that barred it) and {@value #PROGRESS_STORE} (the policy version applied to this
 * task's grants, and the re-evaluation cursor). Names are fixed: renaming one loses its state.
 */
public final class PolicyTopology {

    public static final String ACCESS_REQUESTS_INPUT = "access-requests";
    public static final String APPROVALS_INPUT = "approvals";
    public static final String GRANTS_INPUT = "grants";
    public static final String REVOCATIONS_INPUT = "revocations";
    public static final String CONTEXT_EVENTS_INPUT = "context-events";
    public static final String DECIDE = "decide";
    public static final String OUTPUTS = "decide-outputs";

    public static final String REQUESTS_STORE = "policy-requests";
    public static final String APPROVED_STORE = "policy-approved";
    public static final String PENDING_STORE = "policy-pending";
    public static final String GRANTS_STORE = "policy-grants";
    public static final String REVOKED_STORE = "policy-revoked";
    public static final String COMPROMISES_STORE = "policy-compromises";
    public static final String PROGRESS_STORE = "policy-progress";

    /** The serdes of every topic the topology reads or writes (the registry's Avro in production). */
    public record EventSerdes(Serde<AccessRequest> accessRequests, Serde<ApprovalDecision> approvals,
                              Serde<GrantIssued> grants, Serde<Revocation> revocations,
                              Serde<ContextEvent> contextEvents, Serde<AccessDecision> decisions,
                              Serde<Alert> alerts, Serde<RevocationRequest> revocationRequests,
                              Serde<DeadLetter> deadLetters) {
    }

    /**
     * @param approvalSweepInterval how often pending requests past their deadline are closed
     * @param reevaluationInterval  how often a new policy version is looked for (and a batch re-checked)
     * @param expirySweepInterval   how often expired grants and revocation markers are forgotten
     * @param maxEntriesPerSweep    the most entries one punctuation visits (keeps each transaction short)
     */
    public record Settings(Duration approvalSweepInterval, Duration reevaluationInterval, Duration expirySweepInterval,
                           int maxEntriesPerSweep) {
        public Settings {
            Objects.requireNonNull(approvalSweepInterval, "approvalSweepInterval");
            Objects.requireNonNull(reevaluationInterval, "reevaluationInterval");
            Objects.requireNonNull(expirySweepInterval, "expirySweepInterval");
            if (maxEntriesPerSweep < 1) {
                throw new IllegalArgumentException("maxEntriesPerSweep must be at least 1");
            }
        }

        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(1), 5_000);
        }
    }

    /** Every topic the topology reads; they must have equal partition counts. */
    public static final List<String> INPUT_TOPICS = List.of(Topics.ACCESS_REQUESTS.name(), Topics.APPROVALS.name(),
            Topics.GRANTS.name(), Topics.REVOCATIONS.name(), Topics.CONTEXT_EVENTS.name());

    private PolicyTopology() {
    }

    /** @param policy the current policy, read at every decision (a new bundle version takes effect at once) */
    public static Topology build(EventSerdes serdes, PolicyMetrics metrics, Supplier<PolicyEngine> policy,
                                 Settings settings) {
        return build(serdes, metrics, policy, settings, KafkaTracing.NOOP);
    }

    /** @param tracing each input's handling is a span, child of the record's trace context (decisions carry it on) */
    public static Topology build(EventSerdes serdes, PolicyMetrics metrics, Supplier<PolicyEngine> policy,
                                 Settings settings, KafkaTracing tracing) {
        StreamsBuilder builder = new StreamsBuilder();
        List<StoreBuilder<?>> stores = List.of(
                store(REQUESTS_STORE, serdes.accessRequests()),
                store(APPROVED_STORE, serdes.decisions()),
                store(PENDING_STORE, serdes.decisions()),
                store(GRANTS_STORE, serdes.grants()),
                store(REVOKED_STORE, serdes.revocations()),
                store(COMPROMISES_STORE, serdes.contextEvents()),
                store(PROGRESS_STORE, Serdes.String()));
        stores.forEach(builder::addStateStore);

        KStream<String, SpecificRecord> requests = keyedByWorkload(builder, Topics.ACCESS_REQUESTS.name(),
                ACCESS_REQUESTS_INPUT, serdes.accessRequests(), PolicyInputs::problemWith, serdes, metrics);
        KStream<String, SpecificRecord> approvals = keyedByWorkload(builder, Topics.APPROVALS.name(), APPROVALS_INPUT,
                serdes.approvals(), PolicyInputs::problemWith, serdes, metrics);
        KStream<String, SpecificRecord> grants = byWorkload(builder, Topics.GRANTS.name(), GRANTS_INPUT,
                serdes.grants(), GrantIssued::getWorkloadId, PolicyInputs::problemWith, serdes, metrics);
        KStream<String, SpecificRecord> revocations = byWorkload(builder, Topics.REVOCATIONS.name(), REVOCATIONS_INPUT,
                serdes.revocations(), Revocation::getWorkloadId, PolicyInputs::problemWith, serdes, metrics);
        KStream<String, SpecificRecord> contextEvents = keyedByWorkload(builder, Topics.CONTEXT_EVENTS.name(),
                CONTEXT_EVENTS_INPUT, serdes.contextEvents(), PolicyInputs::problemWith, serdes, metrics);

        KStream<String, SpecificRecord> outputs = requests
                .merge(approvals, Named.as("inputs-with-" + APPROVALS_INPUT))
                .merge(grants, Named.as("inputs-with-" + GRANTS_INPUT))
                .merge(revocations, Named.as("inputs-with-" + REVOCATIONS_INPUT))
                .merge(contextEvents, Named.as("inputs-with-" + CONTEXT_EVENTS_INPUT))
                .process(TracedProcessor.of(tracing, "policy decide",
                                PromptCommit.of(() -> new DecisionProcessor(policy, metrics, settings))),
                        Named.as(DECIDE),
                        stores.stream().map(StoreBuilder::name).toArray(String[]::new));

        outputs.split(Named.as(OUTPUTS))
                .branch((key, value) -> value instanceof AccessDecision, Branched.withConsumer(decisions -> decisions
                        .mapValues(value -> (AccessDecision) value, Named.as("decisions"))
                        .to(Topics.ACCESS_DECISIONS.name(), Produced.with(Serdes.String(), serdes.decisions())
                                .withName("decisions-sink")), "-decisions"))
                .branch((key, value) -> value instanceof Alert, Branched.withConsumer(alerts -> alerts
                        .mapValues(value -> (Alert) value, Named.as("alerts"))
                        .to(Topics.ALERTS.name(), Produced.with(Serdes.String(), serdes.alerts())
                                .withName("alerts-sink")), "-alerts"))
                .branch((key, value) -> value instanceof RevocationRequest, Branched.withConsumer(requestsOut -> requestsOut
                        .mapValues(value -> (RevocationRequest) value, Named.as("revocation-requests"))
                        .to(Topics.REVOCATION_REQUESTS.name(), Produced.with(Serdes.String(), serdes.revocationRequests())
                                .withName("revocation-requests-sink")), "-revocation-requests"))
                .noDefaultBranch();
        return builder.build();
    }

    /** An input published keyed by workload id, validated (a record under another key is a dead letter). */
    private static <V extends SpecificRecord> KStream<String, SpecificRecord> keyedByWorkload(
            StreamsBuilder builder, String topic, String inputName, Serde<V> valueSerde,
            BiFunction<String, V, Optional<String>> problemWith, EventSerdes serdes, PolicyMetrics metrics) {
        return ValidInput.of(builder.stream(topic, Consumed.with(Serdes.String(), valueSerde).withName(inputName + "-source")),
                        inputName, problemWith, valueSerde, serdes.deadLetters(), metrics)
                .mapValues(value -> (SpecificRecord) value, Named.as(inputName + "-as-input"));
    }

    /** An input validated, re-keyed by workload id and repartitioned, so each workload's events meet in one task. */
    private static <V extends SpecificRecord> KStream<String, SpecificRecord> byWorkload(
            StreamsBuilder builder, String topic, String inputName, Serde<V> valueSerde, Function<V, String> workloadOf,
            BiFunction<String, V, Optional<String>> problemWith, EventSerdes serdes, PolicyMetrics metrics) {
        return ValidInput.of(builder.stream(topic, Consumed.with(Serdes.String(), valueSerde).withName(inputName + "-source")),
                        inputName, problemWith, valueSerde, serdes.deadLetters(), metrics)
                .selectKey((key, value) -> workloadOf.apply(value), Named.as(inputName + "-keyed-by-workload"))
                .repartition(Repartitioned.with(Serdes.String(), valueSerde).withName(inputName + "-by-workload"))
                .mapValues(value -> (SpecificRecord) value, Named.as(inputName + "-as-input"));
    }

    private static <V> StoreBuilder<?> store(String name, Serde<V> valueSerde) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde);
    }
}
