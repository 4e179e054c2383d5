package io.jitbroker.revocation.kafka;

import io.jitbroker.revocation.topology.RevocationTopology;
import io.jitbroker.kafka.KafkaClientSecurity;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Reads the partition counts of the revoker's input topics before it starts, and refuses to start
 * unless the topics of each side are co-partitioned (see {@link RevocationTopology#requireCoPartitioned}):
 * Kafka Streams would run on unequal counts and quietly revoke less.
 */
final class InputPartitionsCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private InputPartitionsCheck() {
    }

    static void run(String bootstrapServers, KafkaClientSecurity security) {
        Map<String, Integer> partitions = new HashMap<>();
        Map<String, Object> config = new HashMap<>(security.clientConfig());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(config)) {
            var described = admin.describeTopics(RevocationTopology.INPUT_TOPICS).topicNameValues();
            for (var entry : described.entrySet()) {
                try {
                    TopicDescription description = entry.getValue().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    partitions.put(entry.getKey(), description.partitions().size());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw new IllegalStateException("could not describe input topic " + entry.getKey(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the input topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not describe the input topics within " + TIMEOUT, e);
        }
        RevocationTopology.requireCoPartitioned(partitions);
    }
}
