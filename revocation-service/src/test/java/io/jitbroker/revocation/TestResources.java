package io.jitbroker.revocation;

import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.kafka.RegistrySerdes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.LoggerFactory;

/** What the integration tests open and close around the service. */
public final class TestResources {

    private TestResources() {
    }

    /** A producer that writes events the way the other services do: registry Avro, acks=all, idempotent. */
    public static KafkaProducer<String, SpecificRecord> eventProducer(Infrastructure infra) {
        Map<String, Object> config = new RegistrySerdes(infra.registry().nativeApiUrl()).producerConfig();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(config);
    }

    /**
     * Where a test keeps the logs of the service processes it starts: under the module's target
     * directory, so they survive the test (and a failing CI run can be read), emptied first so they
     * hold this run only.
     */
    public static Path logDir(String testClass, String test) {
        Path dir = Path.of(System.getProperty("basedir", "."), "target", "it-logs", testClass, test);
        deleteRecursively(dir);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes in the caller's order and goes on after a failure, so the broker is never left running. */
    public static void closeQuietly(AutoCloseable... closeables) {
        for (AutoCloseable closeable : closeables) {
            if (closeable == null) {
                continue;
            }
            try {
                closeable.close();
            } catch (Exception e) {
                LoggerFactory.getLogger(TestResources.class).warn("could not close {}", closeable, e);
            }
        }
    }
}
