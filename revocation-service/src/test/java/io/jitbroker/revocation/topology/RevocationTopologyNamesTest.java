package io.jitbroker.revocation.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
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

    private static final List<String> ALL_STORES = List.of("active-grants", "grants-by-task", "expiry-index",
            "revoked-grants", "ended-tasks", "retention-index");

    private TopologyDescription description;

    @BeforeEach
    void describeTopology() {
        description = RevocationTopology.build(
                new RevocationTopology.EventSerdes(PlainAvroSerde.of(GrantIssued.class), PlainAvroSerde.of(TaskEvent.class),
                        PlainAvroSerde.of(Revocation.class)),
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

        // then
        assertEquals(Map.of(
                        0, Set.of("grants-source", "grants-without-tombstones", "grants-keyed-by-task",
                                "grants-rekeyed-by-task-repartition-filter", "grants-rekeyed-by-task-repartition-sink"),
                        1, Set.of("grants-rekeyed-by-task-repartition-source", "task-events-source", "grant-intake",
                                "task-event-intake", "revocations-merge", "revocations-sink")),
                nodesBySubtopology);
    }

    @Test
    void shouldConnectBothIntakesToEveryNamedStoreWhenTopologyIsBuilt() {
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
        assertEquals(Map.of("grant-intake", Set.copyOf(ALL_STORES), "task-event-intake", Set.copyOf(ALL_STORES)),
                storesByProcessor);
    }

    @Test
    void shouldReadAndWriteTheCatalogueTopicsAndOneNamedRepartitionWhenTopologyIsBuilt() {
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
        assertEquals(Set.of(Topics.GRANTS.name(), Topics.TASK_EVENTS.name(), "grants-rekeyed-by-task-repartition"),
                sourceTopics);
        assertEquals(Set.of(Topics.REVOCATIONS.name(), "grants-rekeyed-by-task-repartition"), sinkTopics);
    }
}
