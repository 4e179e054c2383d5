package io.jitbroker.revocation.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jitbroker.revocation.metrics.RevocationMetrics;
import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.testkit.PlainAvroSerde;
import io.jitbroker.contracts.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pins every name in the topology: a renamed processor, store or repartition topic would orphan
 * the state and the internal topics of a running deployment.
 */
class RevocationTopologyNamesTest {

    private static final Set<String> TASK_SIDE_STORES = Set.of("active-grants", "grants-by-task", "expiry-index",
            "heartbeat-index", "task-heartbeats", "revoked-grants", "ended-tasks", "early-revoke-commands",
            "retention-index");
    private static final Set<String> WORKLOAD_SIDE_STORES = Set.of("workload-grants", "context-changes",
            "revocation-requests", "workload-retention-index");

    private TopologyDescription description;

    @BeforeEach
    void describeTopology() {
        description = RevocationTopology.build(
                new RevocationTopology.EventSerdes(PlainAvroSerde.of(GrantIssued.class), PlainAvroSerde.of(TaskEvent.class),
                        PlainAvroSerde.of(ContextEvent.class), PlainAvroSerde.of(RevocationRequest.class),
                        PlainAvroSerde.of(Revocation.class), PlainAvroSerde.of(DeadLetter.class)),
                new RevocationMetrics(new SimpleMeterRegistry()),
                RevocationTopology.Settings.defaults()).describe();
    }

    @Test
    void shouldNameEveryNodeWhenTopologyIsBuilt() {
        // when
        Map<Integer, Set<String>> nodesBySubtopology = new TreeMap<>();
        for (TopologyDescription.Subtopology subtopology : description.subtopologies()) {
            Set<String> names = new TreeSet<>();
            subtopology.nodes().forEach(node -> names.add(node.name()));
            nodesBySubtopology.put(subtopology.id(), names);
        }

        // then: grants are re-keyed twice in a sub-topology of their own; the task side (partitioned
        // by task id) reads task events as published; the workload side (partitioned by workload id)
        // sends revoke commands to the task side
        assertEquals(Map.of(
                        0, Set.of("grants-source", "grants-validation", "grants-validation-valid",
                                "grants-validation-invalid", "grants-dead-letters", "grants-dead-letters-sink",
                                "grants-keyed-by-task", "grants-rekeyed-by-task-repartition-filter",
                                "grants-rekeyed-by-task-repartition-sink",
                                "grants-keyed-by-workload", "grants-rekeyed-by-workload-repartition-filter",
                                "grants-rekeyed-by-workload-repartition-sink"),
                        1, Set.of("task-events-source", "task-events-validation", "task-events-validation-valid",
                                "task-events-validation-invalid", "task-events-dead-letters",
                                "task-events-dead-letters-sink",
                                "task-events-routing", "task-events-routing-as-keyed", "task-events-routing-misrouted",
                                "task-events-keyed-by-task", "task-events-rekeyed-by-task-repartition-filter",
                                "task-events-rekeyed-by-task-repartition-sink",
                                "task-events-rekeyed-by-task-repartition-source", "task-events-by-task",
                                "grants-rekeyed-by-task-repartition-source",
                                "revoke-commands-by-task-repartition-source", "revoke-commands-validation",
                                "revoke-commands-validation-valid", "revoke-commands-validation-invalid",
                                "revoke-commands-dead-letters", "revoke-commands-dead-letters-sink",
                                "grant-intake", "task-event-intake", "revoke-command-intake",
                                "revocations-from-task-events", "revocations-from-revoke-commands", "revocations-sink"),
                        2, Set.of("grants-rekeyed-by-workload-repartition-source", "workload-grant-intake",
                                "context-events-source", "context-events-validation", "context-events-validation-valid",
                                "context-events-validation-invalid", "context-events-dead-letters",
                                "context-events-dead-letters-sink",
                                "revocation-requests-source", "revocation-requests-validation",
                                "revocation-requests-validation-valid", "revocation-requests-validation-invalid",
                                "revocation-requests-dead-letters", "revocation-requests-dead-letters-sink",
                                "context-event-intake", "revocation-request-intake",
                                "revoke-commands-from-context-events", "revoke-commands-from-revocation-requests",
                                "revoke-commands-by-task-repartition-filter", "revoke-commands-by-task-repartition-sink")),
                nodesBySubtopology);
    }

    @Test
    void shouldConnectEachSidesIntakesToThatSidesNamedStoresWhenTopologyIsBuilt() {
        // when
        Map<String, Set<String>> storesByProcessor = new TreeMap<>();
        for (TopologyDescription.Subtopology subtopology : description.subtopologies()) {
            for (TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Processor processor && !processor.stores().isEmpty()) {
                    storesByProcessor.put(processor.name(), processor.stores());
                }
            }
        }

        // then: each side's processors share that side's stores, and no store spans the two sides
        assertEquals(Map.of("grant-intake", TASK_SIDE_STORES, "task-event-intake", TASK_SIDE_STORES,
                        "revoke-command-intake", TASK_SIDE_STORES, "workload-grant-intake", WORKLOAD_SIDE_STORES,
                        "context-event-intake", WORKLOAD_SIDE_STORES, "revocation-request-intake", WORKLOAD_SIDE_STORES),
                storesByProcessor);
    }

    @Test
    void shouldReadAndWriteTheCatalogueTopicsAndFourNamedRepartitionsWhenTopologyIsBuilt() {
        // when
        Set<String> sourceTopics = new TreeSet<>();
        Set<String> sinkTopics = new TreeSet<>();
        for (TopologyDescription.Subtopology subtopology : description.subtopologies()) {
            for (TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Source source) {
                    sourceTopics.addAll(source.topicSet());
                } else if (node instanceof TopologyDescription.Sink sink) {
                    sinkTopics.add(sink.topic());
                }
            }
        }

        // then
        Set<String> repartitions = Set.of("grants-rekeyed-by-task-repartition", "grants-rekeyed-by-workload-repartition",
                "task-events-rekeyed-by-task-repartition", "revoke-commands-by-task-repartition");
        Set<String> expectedSources = new TreeSet<>(repartitions);
        expectedSources.addAll(Set.of(Topics.GRANTS.name(), Topics.TASK_EVENTS.name(), Topics.CONTEXT_EVENTS.name(),
                Topics.REVOCATION_REQUESTS.name()));
        Set<String> expectedSinks = new TreeSet<>(repartitions);
        expectedSinks.addAll(Set.of(Topics.REVOCATIONS.name(), Topics.DEAD_LETTERS.name()));
        assertEquals(expectedSources, sourceTopics);
        assertEquals(expectedSinks, sinkTopics);
    }
}
