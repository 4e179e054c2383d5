package io.jitbroker.revocation.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.revocation.metrics.RevocationMetrics;
import io.jitbroker.revocation.topology.RevocationTopology;
import io.jitbroker.testkit.PlainAvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class TopologyWarmUpTest {

    private final RevocationTopology.EventSerdes serdes = new RevocationTopology.EventSerdes(
            PlainAvroSerde.of(GrantIssued.class), PlainAvroSerde.of(TaskEvent.class), PlainAvroSerde.of(ContextEvent.class),
            PlainAvroSerde.of(RevocationRequest.class), PlainAvroSerde.of(Revocation.class), PlainAvroSerde.of(DeadLetter.class));

    @Test
    void shouldRevokeEverySyntheticTaskOnceAndLeaveNoStateBehind() throws IOException {
        // given: the app's settings, with a state directory that must stay untouched
        Path appStateDir = Files.createTempDirectory("revoker-state-");
        Map<String, Object> settings = Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "revocation-service.v1",
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
                StreamsConfig.STATE_DIR_CONFIG, appStateDir.toString());
        List<Path> before = warmUpDirs();

        // when
        long revocations = TopologyWarmUp.run(topology(), settings, serdes.grants(), serdes.taskEvents(), 1_000);

        // then: one revocation per task (three in four completed, the fourth expired), nothing left on disk
        assertEquals(1_000, revocations);
        assertEquals(before, warmUpDirs());
        try (Stream<Path> appState = Files.list(appStateDir)) {
            assertEquals(0, appState.count());
        }
    }

    private org.apache.kafka.streams.Topology topology() {
        return RevocationTopology.build(serdes, new RevocationMetrics(new SimpleMeterRegistry()),
                RevocationTopology.Settings.defaults());
    }

    private static List<Path> warmUpDirs() throws IOException {
        try (Stream<Path> dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return dirs.filter(dir -> dir.getFileName().toString().startsWith("jit-revocation-warm-up-")).sorted().toList();
        }
    }
}
