package io.jitbroker.revocation.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
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

    private static final List<String> ALL_STORES = List.of("active-grants", "grants-by-task", "grants-by-workload",
            "expiry-index", "heartbeat-index", "task-heartbeats", "revoked-grants", "ended-tasks", "context-changes",
            "revocation-requests", "retention-index");

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

        // then: grants and task events are re-keyed by workload in sub-topologies of their own; the
        // revoker proper reads both repartition topics, context events and revocation requests
        assertEquals(Map.of(
                        0, Set.of("grants-source", "grants-validation", "grants-validation-valid",
                                "grants-validation-invalid", "grants-dead-letters", "grants-dead-letters-sink",
                                "grants-keyed-by-workload", "grants-rekeyed-by-workload-repartition-filter",
                                "grants-rekeyed-by-workload-repartition-sink"),
                        1, Set.of("grants-rekeyed-by-workload-repartition-source",
                                "task-events-rekeyed-by-workload-repartition-source",
                                "context-events-source", "context-events-validation", "context-events-validation-valid",
                                "context-events-validation-invalid", "context-events-dead-letters",
                                "context-events-dead-letters-sink",
                                "revocation-requests-source", "revocation-requests-validation",
                                "revocation-requests-validation-valid", "revocation-requests-validation-invalid",
                                "revocation-requests-dead-letters", "revocation-requests-dead-letters-sink",
                                "grant-intake", "task-event-intake", "context-event-intake", "revocation-request-intake",
                                "revocations-from-task-events", "revocations-from-context-events",
                                "revocations-from-revocation-requests", "revocations-sink"),
                        2, Set.of("task-events-source", "task-events-validation", "task-events-validation-valid",
                                "task-events-validation-invalid", "task-events-dead-letters",
                                "task-events-dead-letters-sink", "task-events-keyed-by-workload",
                                "task-events-rekeyed-by-workload-repartition-filter",
                                "task-events-rekeyed-by-workload-repartition-sink")),
                nodesBySubtopology);
    }

    @Test
    void shouldConnectEveryIntakeToEveryNamedStoreWhenTopologyIsBuilt() {
        // when
        Map<String, Set<String>> storesByProcessor = new TreeMap<>();
        for (TopologyDescription.Subtopology subtopology : description.subtopologies()) {
            for (TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Processor processor && !processor.stores().isEmpty()) {
                    storesByProcessor.put(processor.name(), processor.stores());
                }
            }
        }

        // then
        Set<String> all = Set.copyOf(ALL_STORES);
        assertEquals(Map.of("grant-intake", all, "task-event-intake", all, "context-event-intake", all,
                        "revocation-request-intake", all),
                storesByProcessor);
    }

    @Test
    void shouldReadAndWriteTheCatalogueTopicsAndTwoNamedRepartitionsWhenTopologyIsBuilt() {
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
        assertEquals(Set.of(Topics.GRANTS.name(), Topics.TASK_EVENTS.name(), Topics.CONTEXT_EVENTS.name(),
                        Topics.REVOCATION_REQUESTS.name(), "grants-rekeyed-by-workload-repartition",
                        "task-events-rekeyed-by-workload-repartition"),
                sourceTopics);
        assertEquals(Set.of(Topics.REVOCATIONS.name(), Topics.DEAD_LETTERS.name(),
                        "grants-rekeyed-by-workload-repartition", "task-events-rekeyed-by-workload-repartition"),
                sinkTopics);
    }
}
