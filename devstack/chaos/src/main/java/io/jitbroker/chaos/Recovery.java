package io.jitbroker.chaos;

import io.jitbroker.chaos.cluster.Broker;
import io.jitbroker.chaos.cluster.Cluster;
import io.jitbroker.chaos.cluster.ServiceInstance;
import io.jitbroker.chaos.load.InstanceRouter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/** When the cluster is whole again: every broker up with every replica in sync, every instance healthy. */
final class Recovery {

    private static final Duration POLL = Duration.ofMillis(500);

    private final Cluster cluster;
    private final InstanceRouter router;

    Recovery(Cluster cluster, InstanceRouter router) {
        this.cluster = cluster;
        this.router = router;
    }

    /** Seconds until the cluster is whole, or -1 if it was not within {@code timeout}. */
    double await(Duration timeout) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (whole()) {
                return (System.nanoTime() - started) / 1e9;
            }
            Thread.sleep(POLL.toMillis());
        }
        return -1;
    }

    /** What is not whole, for a report that says why recovery timed out. */
    String missing() {
        StringBuilder missing = new StringBuilder();
        cluster.brokers().stream().filter(b -> !b.alive()).forEach(b -> missing.append(b).append(" down; "));
        cluster.allInstances().stream().filter(i -> !router.healthy(i)).forEach(i -> missing.append(i).append(" unhealthy; "));
        try {
            long behind = underReplicated();
            if (behind > 0) {
                missing.append(behind).append(" partitions under-replicated");
            }
        } catch (Exception e) {
            missing.append("replication unknown (").append(e.getMessage()).append(")");
        }
        return missing.toString();
    }

    private boolean whole() {
        if (!cluster.brokers().stream().allMatch(Broker::alive)) {
            return false;
        }
        for (ServiceInstance instance : cluster.allInstances()) {
            if (!router.healthy(instance)) {
                return false;
            }
        }
        try {
            return underReplicated() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private long underReplicated() throws Exception {
        try (Admin admin = cluster.admin()) {
            var names = admin.listTopics().names().get(5, TimeUnit.SECONDS);
            long behind = 0;
            for (TopicDescription topic : admin.describeTopics(names).allTopicNames().get(5, TimeUnit.SECONDS).values()) {
                for (TopicPartitionInfo partition : topic.partitions()) {
                    if (partition.isr().size() < partition.replicas().size()) {
                        behind++;
                    }
                }
            }
            return behind;
        }
    }
}
